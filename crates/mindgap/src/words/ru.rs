//! Russian: the words mindgap prints (CLDR plurals one/few/many; a decimal
//! comma; a no-break space before % and between thousands).

use super::{Msg, Plural, Words};

/// The Russian catalogue.
pub(super) static WORDS: Words = Words {
    plural_rule: super::plural_ru,
    message,
    tag: "ru",
    decimal: ",",
    group: "\u{a0}",
    percent: "{n}\u{a0}%",
    minus: "−",
    date: "%d.%m.%Y",
    datetime: "%d.%m.%Y %H:%M",
    day_month: "%d.%m",
    interval: "[{lo}; {hi}]",
    u_day: "дн.",
    u_hour: "ч",
    u_min: "мин",
    u_sec: "с",
    u_ms: "мс",
    b_hour: "раб. ч",
    b_min: "раб. мин",
    b_sec: "раб. с",
    b_days: "раб. дн.",
    eod_today: "до конца рабочего дня",
    eod_plus: "до конца рабочего дня +{n}",
    missed: "хуже допустимого",
    within: "в зоне",
    exceeded: "лучше желаемого",
    pending: "в ожидании",
    met: "выполнено",
    all: "все",
    ch_phone: "телефон",
    ch_email: "эл. почта",
    ch_chat: "чат",
    ch_messenger: "мессенджер",
    ch_social: "соцсети",
    ch_in_person: "лично",
    ch_web: "сайт",
    none_key: "(не указано)",
    by_stage: "По этапам",
    by_touchpoint: "По точкам контакта",
    by_channel: "По каналам",
    by_employee: "По сотрудникам",
    by_team: "По командам",
    by_customer: "По клиентам",
    by_segment: "По сегментам",
    by_day: "По дням",
    by_week: "По неделям",
    by_month: "По месяцам",
    k_interaction: "обращение",
    k_feedback: "отзыв",
    k_observation: "наблюдение",
    k_follow_up: "реакция на отзыв",
    kind_stage: "этап",
    kind_touchpoint: "точка контакта",
    kind_channel: "канал",
    m_first_response: "первый ответ",
    m_next_response: "следующий ответ",
    m_update: "промежуточный ответ",
    m_resolution: "решение",
    m_follow_up: "реакция на отзыв",
    m_rating: "оценка",
    m_flag: "да/нет",
    unit_seconds: "секунды",
    unit_points: "баллы",
    unit_flag: "да/нет",
    unit_business_days: "рабочие дни",
    q_concentrate: "начинать отсюда",
    q_keep_up: "так держать",
    q_low: "низкий приоритет",
    q_overkill: "возможно, избыточно",
    obs_of: Plural {
        one: "наблюдения",
        few: "наблюдений",
        many: "наблюдений",
    },
    obs: Plural {
        one: "наблюдение",
        few: "наблюдения",
        many: "наблюдений",
    },
    checks_of: Plural {
        one: "проверки",
        few: "проверок",
        many: "проверок",
    },
    answers_from: Plural {
        one: "ответу",
        few: "ответам",
        many: "ответам",
    },
    answers_of: Plural {
        one: "ответа",
        few: "ответов",
        many: "ответов",
    },
    misses_of: Plural {
        one: "промаха",
        few: "промахов",
        many: "промахов",
    },
    days: Plural {
        one: "день",
        few: "дня",
        many: "дней",
    },
    times: Plural {
        one: "раза",
        few: "раз",
        many: "раз",
    },
    records: Plural {
        one: "запись",
        few: "записи",
        many: "записей",
    },
    clocks: Plural {
        one: "активный срок",
        few: "активных срока",
        many: "активных сроков",
    },
    header: "{diary} · на {at} ({zone}) · доверительные интервалы {conf}",
    header_sub: "На {at} ({zone}) · доверительные интервалы {conf}",
    actual: "факт",
    gap: "разрыв",
    trend: "динамика",
    msa: "запас до допустимого {v}",
    pooled: "{missed} хуже допустимого (из {n} {obs})",
    no_obs: "нет наблюдений",
    zone_business: "{range}, рабочее время",
    v_improving: "↗ улучшается",
    v_worsening: "↘ ухудшается",
    v_rising: "↑ растёт",
    v_falling: "↓ снижается",
    v_stable: "→ без значимых изменений",
    v_not_enough: "· мало данных",
    stale_line: "Давно без новых записей (дольше {span}): {list}",
    fresh_days: "{kind} {key} ({days})",
    fresh_never: "{kind} {key} (записей не было)",
    never_line: "Собирается, но ни разу не измерено: {list}",
    nps_line: "NPS {nps} {interval} по {n} {answers} (пропущенные опросы не учтены: {dismissed})",
    csat_line: "CSAT {pct} {interval} из {n} {answers}",
    period_of: "{key} · {period}",
    col_stage: "Этап",
    col_expectation: "Ожидание",
    col_actual: "Факт",
    col_gap: "Разрыв",
    col_remark: "Комментарий",
    col_group: "Группа",
    col_period: "Период",
    col_interactions: "Обращения",
    col_n: "n",
    csv_report: &[
        "этап",
        "название_этапа",
        "ожидание",
        "описание",
        "показатель",
        "единица",
        "желаемый_уровень",
        "допустимый_уровень",
        "n",
        "в_ожидании",
        "лучше_желаемого",
        "в_зоне",
        "хуже_допустимого",
        "хуже_допустимого_от",
        "хуже_допустимого_до",
        "p50",
        "p90",
        "p95",
        "запас_среднее",
        "запас_медиана",
        "запас_до_желаемого_среднее",
        "положение_в_зоне",
        "квадрант",
        "комментарий",
        "разрез",
        "группа",
        "период",
        "обращения",
    ],
    // HTML-отчёт и его графики.
    h_summary: "{n} {obs}: хуже допустимого {missed}, в зоне толерантности {within}, лучше желаемого {exceeded}.",
    h_diary: "Дневник",
    h_focus: "С чего начать",
    h_focus_note: "Важные ожидания ниже перекрестия «важность — исполнение», сначала с наибольшей долей промахов.",
    h_focus_none: "Ниже перекрестия важных ожиданий нет.",
    h_zones: "Зона толерантности",
    h_zones_note: "Все ожидания на одной шкале: полоса идёт от допустимого уровня (левый край) до желаемого (правый край). Точка — медиана (p50), линия продолжается до p90.",
    h_adequate: "допустимый",
    h_desired: "желаемый",
    h_median: "медиана (p50)",
    h_stages: "Этапы",
    h_stages_note: "Доля наблюдений хуже допустимого, в зоне и лучше желаемого.",
    h_weekly: "Доля промахов по неделям",
    h_weekly_note: "Все ожидания вместе; полоса — интервал {conf}.",
    h_too_few: "Для графика пока мало периодов.",
    h_feedback: "Отзывы клиентов",
    h_ipa: "Важность и исполнение",
    h_ipa_note: "Каждое ожидание по важности и положению в зоне; перекрестие делит четыре квадранта.",
    h_importance: "важность",
    h_missed_share: "доля промахов",
    h_interval: "интервал {conf}",
    h_as_table: "Те же цифры таблицей",
    h_breakdowns: "Разрезы",
    h_ranking_note: "Доля промахов каждой группы с интервалом {conf}.",
    h_figure: "Показатель",
    h_value: "Значение",
    h_ces: "CES, доля согласных",
    h_made_by: "Сделано в {name} {version}",
    val_error: "ошибка: {message}",
    val_note: "примечание: {message}",
    val_ok: "ошибок нет",
    val_errors: "есть ошибки",
    val_counts: "{status}: {stages}, {expectations}, {interactions}, {feedback}, {observations}, {follow_ups}; файлы: {files}",
    val_rejected: "отклонено: {n} {records}",
    fk_diary: "дневник",
    fk_interactions: "обращения",
    fk_feedback: "отзывы",
    fk_records: "записи",
    n_stages: Plural {
        one: "этап",
        few: "этапа",
        many: "этапов",
    },
    n_expectations: Plural {
        one: "запись ожиданий",
        few: "записи ожиданий",
        many: "записей ожиданий",
    },
    n_interactions: Plural {
        one: "обращение",
        few: "обращения",
        many: "обращений",
    },
    n_feedback: Plural {
        one: "отзыв",
        few: "отзыва",
        many: "отзывов",
    },
    n_follow_ups: Plural {
        one: "реакция на отзыв",
        few: "реакции на отзыв",
        many: "реакций на отзыв",
    },
    n_rows: Plural {
        one: "строка",
        few: "строки",
        many: "строк",
    },
    n_callbacks: Plural {
        one: "реакция",
        few: "реакции",
        many: "реакций",
    },
    sample_wrote: "записано в {dir}: diary.json, interactions.csv ({i}), feedback.csv ({f}), follow_ups.jsonl ({u}; передайте его через --records)",
    import_wrote: "записано в {dir}: interactions.csv ({i}), feedback.csv ({f})",
    import_skip: "пропущено: {message}",
    a_durations: "медиана {p50} · p90 {p90}",
    a_mean: "среднее {m}",
    a_flag: "как ожидалось в {k} из {n} {checks}",
    a_n: " (n = {n})",
    a_open: ", {state} дольше допустимого: {u}",
    a_pending: ", в ожидании: {u}",
    a_no_values: "значений пока нет",
    st_unanswered: "без ответа",
    st_unresolved: "без решения",
    st_not_followed: "без реакции",
    r_all_pending: "Все наблюдения ещё в ожидании.",
    r_never_measured: "Нет наблюдений: ожидание записано, но не измеряется.",
    r_flag_missing: "Не выполнено: как ожидалось лишь в {k} из {n} {checks}.",
    r_flag_ok: "Выполнено при каждой проверке.",
    r_gap: "Разрыв: {missed} хуже допустимого уровня",
    r_gap_p90: " (p90 {p90} при допустимом {adequate})",
    r_mostly_exceeded: "В основном лучше желаемого: {exceeded}",
    r_mostly_within: "В основном в зоне толерантности: {within}",
    r_spread: "Разброс по зоне: лучше желаемого {exceeded}, в зоне {within}",
    r_and_missed: "; хуже допустимого {missed}",
    r_uncertain: " (при n = {n} пока не наверняка)",
    r_open_most: " Промахи в основном — обращения {state}: {u} из {k}.",
    r_open_some: " Из {k} {misses} {state} пока {u}.",
    r_worst_channel: " Больше всего промахов в канале «{key}»: {missed} из {n} {obs}.",
    r_worst_employee: " Больше всего промахов у сотрудника {key}: {missed} из {n} {obs}.",
    r_act_here: " Важно для клиентов и ниже среднего: начинать отсюда.",
    s_largest: "Главный разрыв: «{name}» ({missed} хуже допустимого)",
    s_some: "В целом выполняются; больше всего промахов: «{name}» ({missed})",
    s_met: "Ожидания выполняются",
    s_none_recorded: "Ожидания не записаны",
    s_none_observed: "Наблюдений пока нет",
    s_top_reason: "главная причина жалоб: {reason} ({count})",
    s_nps_negative: "NPS {nps}, ниже нуля",
    drift: "Клиенты теперь ожидают {now}, а не {before} (с {from} по {to}): {direction}.",
    dir_tightening: "требования растут",
    dir_loosening: "требования снижаются",
    dir_unchanged: "без изменений",
    dir_mixed: "изменения разнонаправленные",
    t_header: "{metric}, {by}, {bucket} · на {at} · α = {alpha}",
    tm_missed: "Доля промахов",
    tm_msa: "Запас до допустимого",
    tm_zone: "Положение в зоне",
    tm_p90: "p90",
    tm_nps: "NPS",
    tm_csat: "CSAT",
    tm_ces: "CES",
    tm_volume: "Число обращений",
    tb_stage: "по этапам",
    tb_expectation: "по ожиданиям",
    tb_channel: "по каналам",
    tb_employee: "по сотрудникам",
    bucket_day: "по дням",
    bucket_week: "по неделям",
    bucket_month: "по месяцам",
    per_day: "день",
    per_week: "неделю",
    per_month: "месяц",
    t_mk: " (Манн — Кендалл p = {p}",
    t_sen: ", наклон Сена {slope} за {bucket}",
    t_shift: "; сдвиг уровня {period} ({before} → {after})",
    t_already: "; уже за допустимым уровнем",
    t_cross: "; по прогнозу выйдет за допустимый уровень в {period}",
    t_above: "; выше контрольной границы: {list}",
    t_drift_title: "КАК МЕНЯЮТСЯ ОЖИДАНИЯ",
    csv_trend: &["группа", "период", "x", "n", "k", "значение"],
    f_header: "{diary} · реакция на негативные отзывы на {at}",
    f_summary: "Открыто {total}: просрочено {overdue}, в работе {open}, закрыто {closed} (с опозданием {late})",
    f_close_time: "; время до закрытия: медиана {p50} · p90 {p90}",
    f_overdue: "ПРОСРОЧЕНО",
    f_open: "в работе",
    f_closed: "закрыто",
    f_priority: "приоритет {p}",
    f_repeat: "повторно ×{n}",
    f_customer: "клиент {c}",
    f_about: "обращение {id} ({channel})",
    f_employee: "сотрудник {e}",
    f_closed_by: "закрыто {at} ({by}) через {age}",
    f_late: " — с опозданием",
    f_due: "срок {at} · открыто уже {age}",
    f_no_due: "срок не задан (у этапа {stage} нет ожидания follow_up) · открыто уже {age}",
    f_history: "история: {list}",
    rule_reason: "причина",
    rule_sentiment: "тональность",
    rule_rating: "оценка",
    quote: "«{text}»",
    fk_comment: "комментарий",
    sent_negative: "негативная",
    csv_follow_ups: &[
        "состояние",
        "отзыв",
        "время",
        "этап",
        "клиент",
        "обращение",
        "сотрудник",
        "основания",
        "серьёзность",
        "повторы",
        "приоритет",
        "ожидание",
        "срок",
        "закрыто",
        "чем_закрыто",
        "возраст_секунд",
        "с_опозданием",
    ],
    d_header: "{diary} · на {at} · классифицировано {n}: хуже допустимого {missed}, в зоне {within}, лучше желаемого {exceeded}; в ожидании {pending}",
    d_matched: "{n} {records} ({class})",
    d_first: ", показаны первые {k}",
    d_running: " (срок идёт)",
    csv_drill: &[
        "ожидание",
        "тип",
        "id",
        "время",
        "этап",
        "канал",
        "сотрудник",
        "команда",
        "клиент",
        "класс",
        "значение",
        "единица",
        "срок_идёт",
        "положение",
    ],
    p_header: "{diary} · доля наблюдений без промаха (в зоне или лучше) на {at}; порядок — по нижней границе интервала {conf}",
    p_columns: &[
        "место",
        "кто",
        "без промаха",
        "интервал",
        "n",
        "промахи",
        "ожидают",
    ],
    p_unassigned: "Без ответственного: {n} {obs}.",
    csv_people: &[
        "место",
        "кто",
        "n",
        "без_промаха",
        "доля",
        "нижняя_граница",
        "верхняя_граница",
        "промахи",
        "ожидают",
    ],
    pr_header: "{diary} · на {at} · одна и та же причина или категория не менее {min} {times} за {span}",
    pr_none: "Повторяющихся проблем нет.",
    pr_row: "{scope} {key} · {kind} {label} ×{count} с {from} по {to}: {ids}",
    pr_reasons: "Причины жалоб и разрыв по обращениям, к которым они относятся:",
    pr_missed: "{missed} хуже допустимого ({range}, n = {n})",
    pr_stage: " · этап {s}",
    sc_customer: "клиент",
    sc_stage: "этап",
    sc_employee: "сотрудник",
    pk_reason: "причина",
    pk_category: "категория",
    csv_problems: &[
        "область",
        "ключ",
        "тип",
        "метка",
        "количество",
        "с",
        "по",
        "записи",
    ],
    due_header: "{diary} · очередь сроков на {at}",
    due_summary: "{total} {clocks}: просрочено {breached}, под угрозой {at_risk}, в срок {on_track} (на паузе {paused})",
    due_since: "с {at}: новых просрочек {breached}, новых под угрозой {at_risk}, новых отзывов для реакции {follow_ups}",
    due_breached: "ПРОСРОЧЕНО",
    due_at_risk: "ПОД УГРОЗОЙ",
    due_paused: "на паузе",
    due_on_track: "в срок",
    c_first_reply: "первый ответ",
    c_next_reply: "следующий ответ",
    c_resolution: "решение",
    c_update: "промежуточный ответ",
    c_follow_up: "реакция на отзыв",
    due_row: "{state} {expectation} · {id} {clock} · {elapsed} из {adequate} · {when}{change}",
    due_breached_at: "просрочено {at}",
    due_left: "осталось {left}, срок {at}",
    due_left_paused: "осталось {left}, отсчёт на паузе",
    due_new: " · НОВОЕ",
    due_new_at_risk: " · новое",
    due_new_title: "новые отзывы для реакции:",
    due_new_due: " · срок {at}",
    csv_due: &[
        "состояние",
        "на_паузе",
        "изменение",
        "ожидание",
        "отсчёт",
        "id",
        "начало",
        "этап",
        "канал",
        "сотрудник",
        "клиент",
        "календарь",
        "единица",
        "прошло",
        "желаемо",
        "допустимо",
        "осталось",
        "предупреждение",
        "просрочка",
    ],
};

/// The Russian message templates (errors, skip reasons, loader notes).
fn message(key: Msg) -> &'static str {
    match key {
        Msg::LocLine => "строка {line}",
        Msg::LocPath => "путь {path}",
        Msg::LocRecord => "запись {record}",
        Msg::LocField => "поле {field}",
        Msg::LocColumn => " (столбец {column})",
        Msg::LocFile => "{file}, {parts}",
        Msg::LocParts => "{parts}",
        Msg::ErrSyntax => "нарушен формат данных: {message}",
        Msg::ErrUnknownSchema => {
            "неизвестная версия схемы {found}: эта версия mindgap читает {expected}"
        }
        Msg::ErrMissingColumns => "нет обязательных столбцов: {missing}{hint}",
        Msg::ErrInvalidUtf8 => "текст не в кодировке UTF-8",
        Msg::ErrInvalidValue => "недопустимое значение {value}: ожидается {expected}",
        Msg::ErrMissingField => "не заполнено обязательное поле",
        Msg::ErrUnknownField => "неизвестное поле {field}; допустимые поля: {expected}",
        Msg::ErrUnknownReference => "не найдено: {kind} {id}",
        Msg::ErrDuplicate => "{kind}: id {id} уже встречался ({first})",
        Msg::ErrInvertedZone => {
            "желаемый уровень {desired} хуже допустимого {adequate} ({direction})"
        }
        Msg::ErrCalendar => "календарь задан неверно: {message}",
        Msg::ErrInvalidOption => "недопустимый параметр {option}: {message}",
        Msg::ErrInternal => {
            "внутренняя ошибка (ошибка в самом mindgap, сообщите о ней, пожалуйста): {message}"
        }
        Msg::ParInvalidType => "неверный тип: {unexpected}, ожидалось: {expected}",
        Msg::ParInvalidValue => "недопустимое значение: {unexpected}, ожидалось: {expected}",
        Msg::ParInvalidLength => "неверная длина {len}, ожидалось: {expected}",
        Msg::ParUnknownVariant => "неизвестное значение `{variant}`, допустимо: {expected}",
        Msg::ParNoVariants => "неизвестное значение `{variant}`: допустимых значений нет",
        Msg::ParDuplicateField => "поле `{field}` указано дважды",
        Msg::ParAtLineColumn => "{message} (строка {line}, столбец {column})",
        Msg::ParColumn => "{message} (столбец {column})",
        Msg::ParOneOf => "одно из {list}",
        Msg::ParOr => "{a} или {b}",
        Msg::ParBool => "логическое значение `{value}`",
        Msg::ParInteger => "целое число `{value}`",
        Msg::ParFloat => "дробное число `{value}`",
        Msg::ParChar => "символ `{value}`",
        Msg::ParString => "строка {value}",
        Msg::ParBytes => "массив байтов",
        Msg::ParUnitValue => "пустое значение",
        Msg::ParOptionValue => "значение Option",
        Msg::ParSequence => "массив",
        Msg::ParMap => "объект",
        Msg::ParNull => "null",
        Msg::ParEnum => "перечисление",
        Msg::ParAString => "строка",
        Msg::ParABorrowedString => "строка",
        Msg::ParABoolean => "true или false",
        Msg::ParASequence => "массив",
        Msg::ParAMap => "объект",
        Msg::ParACharacter => "символ",
        Msg::ParUnit => "null",
        Msg::ParOption => "значение или null",
        Msg::ParStruct => "объект {name}",
        Msg::ParTaggedEnum => "объект {name} с полем типа",
        Msg::ParEnumNamed => "значение {name}",
        Msg::ParTupleStruct => "массив {name}",
        Msg::ParIntegerType => "целое число ({type})",
        Msg::ParFloatType => "число ({type})",
        Msg::ParEofList => "текст оборвался внутри массива",
        Msg::ParEofObject => "текст оборвался внутри объекта",
        Msg::ParEofString => "текст оборвался внутри строки",
        Msg::ParEofValue => "текст оборвался там, где ожидалось значение",
        Msg::ParColon => "ожидалось `:`",
        Msg::ParCommaBracket => "ожидалось `,` или `]`",
        Msg::ParCommaBrace => "ожидалось `,` или `}`",
        Msg::ParIdent => "ожидалось true, false или null",
        Msg::ParValue => "ожидалось значение",
        Msg::ParQuote => "ожидалась кавычка `\"`",
        Msg::ParEscape => "недопустимая escape-последовательность",
        Msg::ParNumber => "недопустимое число",
        Msg::ParRange => "число вне допустимого диапазона",
        Msg::ParCodePoint => "недопустимый код символа Unicode",
        Msg::ParControl => "управляющий символ (\\u0000-\\u001F) внутри строки",
        Msg::ParKeyString => "ключ объекта должен быть строкой",
        Msg::ParSurrogate => "одиночный суррогат в \\u-последовательности",
        Msg::ParTrailingComma => "лишняя запятая",
        Msg::ParTrailing => "лишние символы после значения",
        Msg::ParHexEnd => "\\u-последовательность оборвалась",
        Msg::ParRecursion => "слишком глубокая вложенность",
        Msg::ErrMany => "{n} {n|ошибка|ошибки|ошибок}; первая: {first}",
        Msg::Lower => "чем меньше, тем лучше",
        Msg::Higher => "чем больше, тем лучше",
        Msg::KindStage => "этап",
        Msg::KindTouchpoint => "точка контакта",
        Msg::KindCalendar => "календарь",
        Msg::KindHolidayList => "список праздников",
        Msg::KindCustomer => "клиент",
        Msg::KindExpectation => "ожидание",
        Msg::KindExpectationRecord => "запись ожидания",
        Msg::KindInteraction => "обращение",
        Msg::KindFeedback => "отзыв",
        Msg::KindObservation => "наблюдение",
        Msg::KindFollowUp => "реакция на отзыв",
        Msg::KindProfile => "профиль",
        Msg::KindRecord => "запись",
        Msg::MetricFirstResponse => "первый ответ",
        Msg::MetricNextResponse => "следующий ответ",
        Msg::MetricResolution => "решение",
        Msg::TsAny => {
            "метка времени RFC 3339 со смещением, например 2026-01-05T10:00:00+03:00, или \
             местное время, например 2026-01-05 10:00 или 05.01.2026 10:00"
        }
        Msg::TsFormat => "время в формате {format}",
        Msg::TsOneFormat => "время в формате {format} (или RFC 3339 со смещением)",
        Msg::TsFormats => "время в одном из форматов {formats} (или RFC 3339 со смещением)",
        Msg::TsAmbiguous => {
            "однозначное местное время; {time} в зоне {zone} наступает дважды (часы переводят \
             назад): укажите смещение"
        }
        Msg::TsSkipped => {
            "существующее местное время; {time} в зоне {zone} пропускается (часы переводят вперёд)"
        }
        Msg::DurSeconds => "число секунд от 0, в пределах 100 лет",
        Msg::DurMinutes => "число минут от 0, в пределах 100 лет",
        Msg::DurHours => "число часов от 0, в пределах 100 лет",
        Msg::DurDays => "число дней от 0, в пределах 100 лет",
        Msg::DurClock => "длительность чч:мм:сс (или чч:мм) в пределах 100 лет",
        Msg::NumAny => "число",
        Msg::NumScale => "целое число (верхняя граница шкалы оценок)",
        Msg::CsvMessages => "список записей вида тип@время (customer, reply или note) через ';'",
        Msg::CsvMessageKind => "тип сообщения: customer, reply или note",
        Msg::CsvStatuses => "список записей вида статус@время через ';'",
        Msg::CsvWidth => "в строке {len} {len|поле|поля|полей}, а в заголовке {expected}",
        Msg::CsvUnclosed => {
            "кавычка, открытая в этой строке, не закрывается: весь остаток файла (до строки {to}) \
             стал бы одним полем; кавычка внутри поля пишется дважды (\"\")"
        }
        Msg::CsvEmpty => "(файл пуст: нет заголовка)",
        Msg::HintHeader => {
            "; прочитан заголовок ({n} {n|столбец|столбца|столбцов}, разделитель {delimiter}): {names}"
        }
        Msg::HintProfile => {
            "; заголовок похож на выгрузку {name}: читайте её с --from {name} (\"from\": \"{name}\")"
        }
        Msg::HintGeneric => {
            "; профиль generic читает распространённые английские и русские названия столбцов \
             (--from generic, \"from\": \"generic\")"
        }
        Msg::HintNote => "; {note}",
        Msg::Three => "{a}{b}{c}",
        Msg::VFlagWhen => {
            "отсутствие `when` у ожидания-флага: его наблюдения записывают для него самого, а не отбирают"
        }
        Msg::VWhenField => "поле для отбора: {fields} или field:<имя> для собственного поля",
        Msg::VInstant => "момент времени с 1 по 9999 год (такой, какой можно записать в RFC 3339)",
        Msg::VAboveZero => "число больше 0",
        Msg::VNeedCalendar => {
            "календарь: уровни в рабочих днях отсчитываются по рабочим дням календаря"
        }
        Msg::VSunCalendar => {
            "календарь со своими рабочими днями: у участников календаря follow-the-sun рабочий день начинается в разное время (задайте уровни в рабочих часах)"
        }
        Msg::VSameShape => {
            "совпадение у всех записей одного ожидания этапа, точки контакта, канала, сегмента, when, вида метрики, вида уровней, календаря и статусов паузы (первая запись: {first})"
        }
        Msg::VBeforeOpened => "{field} {time} раньше opened_at {opened}",
        Msg::VStatusBeforeOpened => "статус {status} в {time} раньше opened_at {opened}",
        Msg::VStatusOrder => {
            "статус {status} в {time} раньше смены статуса, записанной перед ним ({before} в {before_time}); перечисляйте смены статуса в порядке времени"
        }
        Msg::VMessageBeforeOpened => "сообщение {kind} в {time} раньше opened_at {opened}",
        Msg::VMessageOrder => {
            "сообщение {kind} в {time} раньше сообщения, записанного перед ним ({before} в {before_time}); перечисляйте сообщения в порядке времени"
        }
        Msg::VNoScaleFor => "пустая шкала для вида {kind} (его шкала задана заранее)",
        Msg::VScale => "шкала от 2 до 1000",
        Msg::VDismissedScore => "пустая оценка: опрос отклонён (его показали, но ответа не было)",
        Msg::VWholeFromTo => "целое число от {lo} до {hi} для {kind}",
        Msg::VNumberFromTo => "число от {lo} до {hi} для {kind}",
        Msg::VNoScoreFor => "пустая оценка для вида {kind}",
        Msg::VFlagValue => "true или false (ожидание — флаг)",
        Msg::VRatingValue => "число на шкале 1..{scale} (ожидание — оценка)",
        Msg::VDurationValue => "длительность ISO 8601 (ожидание — {metric})",
        Msg::VFromOneTo => "число от 1 до {scale}",
        Msg::VNonNegative => "неотрицательная длительность",
        Msg::VPlainText => "текст без {char} (здесь CSV отделяет им значения)",
        Msg::VInteractionStage => "этап обращения {id} ({found})",
        Msg::VAfterFeedback => "время не раньше отзыва {id}, на который это реакция ({time})",
        Msg::VScoreFromTo => "оценка от {lo} до {hi}",
        Msg::VReasonCode => "непустой код причины",
        Msg::VSameKindLevel => "уровень того же вида, что и желаемый ({desired})",
        Msg::VLevelFromOneTo => "уровень от 1 до {scale}",
        Msg::VScoredKinds => "вид отзыва с оценкой (nps, csat, ces, rating)",
        Msg::ExpDate => "дата вида 2026-01-05",
        Msg::ExpTimestamp => {
            "метка времени RFC 3339 со смещением, например 2026-01-05T10:00:00+03:00"
        }
        Msg::ExpFeedbackKind => "одно из значений nps, csat, ces, rating, comment, reason",
        Msg::ExpSentiment => "negative, neutral или positive",
        Msg::ExpBool => "true или false",
        Msg::ExpZone => "название часового пояса IANA, например Europe/Moscow или America/New_York",
        Msg::CalMembersCompile => {
            "календарь follow-the-sun составлен из своих участников: собирайте его через Calendar::compile_among (так делают отчёты дневника)"
        }
        Msg::CalTwice => {
            "дата {date} указана дважды (ещё в working_days[{prev}]); оставьте одну запись со всеми её часами"
        }
        Msg::CalNoHours => "у рабочего дня {date} нет часов; нерабочую дату перечислите в holidays",
        Msg::CalHolidayWorking => {
            "дата {date} — и праздник, и working_days[{i}]; уберите одно из двух (рабочий день внутри диапазона праздников допустим как исключение)"
        }
        Msg::CalNeverMet => {
            "ни в один день недели нет рабочих часов и нет рабочих дней: срок никогда не наступит"
        }
        Msg::CalNeverMetPeriods => {
            "ни в одном периоде нет рабочих часов и нет рабочих дней: срок никогда не наступит"
        }
        Msg::CalChangeDate => "дата {date} — также дата {field}; на одну дату — одно изменение",
        Msg::CalRange => {
            "диапазон {start}..{end} (секунды от полуночи) выходит за пределы 00:00–24:00"
        }
        Msg::CalOverlap => "{field}[{second}] {rs} пересекается с {field}[{first}] {rf}",
        Msg::CalShift => {
            "смена {prev}[{i}] переходит через полночь и пересекается с {next}[{j}]{on}"
        }
        Msg::CalOn => " в день {date}",
        Msg::CalSunOwn => {
            "календарь follow-the-sun берёт часы и праздники у своих участников; задайте их там"
        }
        Msg::CalSelf => "{id} — это сам календарь",
        Msg::CalNoMember => "в дневнике нет календаря {id}",
        Msg::CalSunItself => {
            "{id} сам составлен по принципу follow-the-sun; укажите вместо него его участников"
        }
        Msg::CalNoMembers => "нет календарей-участников",
        Msg::OptNoExpectation => "в дневнике нет ожидания {id}",
        Msg::OptNoRecordNames => "ни одна запись не называет {what} {value}",
        Msg::OptOutsideCalendar => "наблюдение в момент {ms} мс вне диапазона календаря",
        Msg::OptMinCount => "{n} — меньше двух записей",
        Msg::OptProblemsBy => "укажите хотя бы одно из: customer, stage, employee",
        Msg::OptSpan => "{value} — не промежуток длиннее нуля",
        Msg::OptNonNegative => "{value} — не длительность от нуля и больше",
        Msg::OptAfterQueue => "{since} позже момента очереди {as_of}",
        Msg::OptNoTrend => {
            "трендов нет в этой сборке mindgap (она собрана без функции `trend`, как сборка отчёта в npm-пакете)"
        }
        Msg::OptAlpha => "{value} — не уровень значимости между 0 и 1 (например, 0.05)",
        Msg::OptLambda => "{value} — не вес из (0, 1]",
        Msg::OptFeedbackByExpectation => {
            "показатели отзывов не привязаны к одному ожиданию; группируйте по stage, channel или employee"
        }
        Msg::OptUnitsDiffer => {
            "у MSA и p90 единицы разные у разных ожиданий; группируйте по expectation"
        }
        Msg::OptUntil => "until {until} не позже since {since}",
        Msg::OptUnknownStage => "неизвестный этап {id}",
        Msg::OptConfidence => "{value} — не уровень между 0 и 1 (например, 0.95)",
        Msg::VLevelsOneKind => {
            "один вид уровней во всех записях ожидания (время, рабочие дни или концы рабочих дней), без отрицательных значений"
        }
        Msg::VSunCalendarShort => {
            "календарь со своими рабочими днями: у участников календаря follow-the-sun рабочий день начинается в разное время"
        }
        Msg::VSelectors => {
            "не больше {max} разных условий `when` в дневнике (у ожиданий с одинаковым `when` оно общее)"
        }
        Msg::ReadFollowUpsFirst => {
            "{at}: записи о реакциях на отзывы читаются раньше отзывов, которые читаются дважды (их сверяют с отзывами по ходу чтения)"
        }
        Msg::ReadNotFeedback => "в {file} обращения, а не отзывы",
        Msg::ReadChanged => "{at}: файл изменился во время чтения (он читается дважды)",
        Msg::ReadNotInteractions => {
            "в {file} есть отзывы, а не только обращения; потоковый отчёт читает отзывы первыми"
        }
        Msg::ReadConstantStage => {
            "постоянное значение {stage} не совпадает ни с одним этапом дневника; его этапы: {known}"
        }
        Msg::ReadSkimmed => {
            "{files} прочитаны для повторного чтения потоковым отчётом; чтобы загрузить их, читайте через read_csv"
        }
        Msg::EncNotUtf8Said => {
            "{file} не в UTF-8; похоже на {looks}: укажите \"encoding\": \"{looks}\" в сопоставлении (--encoding {looks})"
        }
        Msg::EncUtf8Only => {
            "{file} не в UTF-8 (похоже на {looks}); эта сборка читает только UTF-8: сохраните файл в UTF-8"
        }
        Msg::EncBom => {
            "{file}: прочитан как {found}, как указывает его метка порядка байтов, а не как {said}"
        }
        Msg::EncSixteen => {
            "{file}: прочитан как {found} (метки порядка байтов нет; это видно по нулевым байтам)"
        }
        Msg::EncIsUtf8 => {
            "{file}: прочитан как UTF-8, а не {said}, как сказано в сопоставлении (файл — корректный UTF-8)"
        }
        Msg::EncGuessed => {
            "{file}: не UTF-8; прочитан как {looks} (на что он похож; кодировку можно указать через --encoding или \"encoding\" в сопоставлении)"
        }
        Msg::CsvDelimiter => {
            "{char} не может разделять поля; используйте символ ASCII, кроме кавычки и перевода строки"
        }
        Msg::CsvDurationField => {
            "длительностью (от opened_at) могут быть только first_response_at, resolved_at и at отзыва"
        }
        Msg::CsvKindUnknown => {
            "opened_at (для обращений) или kind и at (для отзывов); задайте сопоставление столбцов или csv.kind"
        }
        Msg::CsvUnknownField => "неизвестное поле {field}; поля: {fields}",
        Msg::CsvUnknownValueField => {
            "неизвестное поле {field}; сопоставления значений задаются по полям: {interactions}; {feedback}"
        }
        Msg::CsvRowFeedback => "для отзыва {kind} нужен столбец {column}",
        Msg::ProfileNone => {
            "нет профиля импорта {name}: в этой сборке mindgap профилей нет (она собрана без функции `profiles`); задайте столбцы сами"
        }
        Msg::ProfileUnknown => "нет профиля импорта {name}; есть профили: {profiles}",
        Msg::FilesNotCsv => {
            "{file}: потоковый отчёт читает обращения из файлов CSV (.csv, .tsv, .txt)"
        }
        Msg::FilesFormat => "{file}: формат не распознан; дайте файлу расширение .csv или .jsonl",
        Msg::FilesChanged => {
            "{files}: отзывы изменились во время чтения (они читаются дважды: {first} {first|запись|записи|записей}, затем {then})"
        }
        Msg::OptLabels => "больше {max} разных категорий и причин",
        Msg::ClockStatusBeforeOpened => {
            "statuses[{k}] ({status}) в {time} раньше opened_at {opened}"
        }
        Msg::ClockStatusOrder => {
            "statuses[{k}] ({status}) в {time} раньше statuses[{prev}] ({before}) в {before_time}; история статусов должна идти в порядке времени"
        }
        Msg::LocPrefix => "{at}: {message}",
        Msg::ApiObject => {
            "параметры — это объект JSON с именованными параметрами, например {example}, а не {text}"
        }
        Msg::ApiUnknownOption => "неизвестный параметр; параметры: {options}",
        Msg::ApiNotStreamed => "{what} не считается потоком из файлов; возможны: {streamed}",
        Msg::ApiLeftOut => {
            "{name} нет в этой сборке mindgap (она собрана без него, как сборка отчёта в npm-пакете); здесь есть анализы: {analyses}"
        }
        Msg::ApiUnknownAnalysis => "неизвестный анализ {name}; анализы: {analyses}",
        Msg::ApiNoOptions => "у {what} нет параметров; передайте {empty} или ничего",
        Msg::WhenTests => {
            "значение, список значений или объект с проверками (any, all, not, contains, present)"
        }
        Msg::WhenBlank => "непустые значения",
        Msg::NoteUnmeasured => {
            "{total} из {seen} {seen|обращения|обращений|обращений} не \
             {total|попадает|попадают|попадают} ни под одно ожидание по времени: {groups}{more} \
             (добавьте для них ожидание или сопоставьте значения: {example})"
        }
        Msg::NoteUnmeasuredGroup => "{n} — этап {stage}, канал {channel}",
        Msg::NoteUnreached => {
            "ни одно обращение не попадает под {n|ожидание|ожидания|ожидания} \
             {expectations}{more}: сверьте с данными {n|его|их|их} этап, канал, точку контакта \
             и сегмент"
        }
        Msg::NoteUnreachedItem => "{id} ({metric})",
        Msg::NoteStatuses => {
            "{n|значение статуса, неизвестное|значения статуса, неизвестные|значения статуса, \
             неизвестные} mindgap: {values}{more}; такие статусы не ставят отсчёт на паузу и не \
             останавливают его (сопоставьте их: {example}; известные: {known})"
        }
        Msg::NoteStatusItem => "{value} ({n})",
        Msg::SkippedCount => "{n|пропущена|пропущено|пропущено} {n} {n|запись|записи|записей}",
        Msg::NoteMore => " и ещё {n}",
        Msg::NoteIgnoredColumns => {
            "{file}: {n|не используется столбец|не используются столбцы|не используются столбцы}: {columns}"
        }
        Msg::NoteAbsentColumns => {
            "{file}: {n|столбца|столбцов|столбцов} из сопоставления нет в файле, поля оставлены \
             пустыми: {columns}"
        }
    }
}
