// `using` with the package's Diary, type-checked at target esnext only
// (`using` needs the esnext lib's Disposable) by scripts/test-wasm.sh.
import { Diary, sampleDiary, type Report } from 'mindgap';

export function reportOnce(): Report {
  using diary = new Diary(sampleDiary(20));
  return diary.report();
}

export function freedEarly(): void {
  using diary = Diary.sample(5);
  diary.free(); // the dispose at the end of the block is then a no-op
}
