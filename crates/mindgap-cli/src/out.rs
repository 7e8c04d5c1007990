//! Output files written whole or not at all: each is written to a hidden
//! temporary file beside it and renamed over it once complete, so an
//! interrupted command (Ctrl-C, a full disk) never leaves a cut file where
//! the last good one was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Failure;

/// A file being written (see the [module documentation](self)).
pub struct Atomic {
    path: PathBuf,
    tmp: PathBuf,
    w: Option<BufWriter<File>>,
}

impl Atomic {
    /// Starts writing `path` (nothing appears there until [`Atomic::commit`]).
    pub fn create(path: &Path) -> Result<Atomic, Failure> {
        let name = path
            .file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let file =
            File::create(&tmp).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        Ok(Atomic {
            path: path.to_owned(),
            tmp,
            w: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Finishes the file: flushed, synced, then renamed into place.
    pub fn commit(mut self) -> Result<(), Failure> {
        let fail = |e: std::io::Error| Failure::usage(format!("{}: {e}", self.path.display()));
        let Some(w) = self.w.take() else {
            return Ok(());
        };
        let file = w.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path).map_err(fail)
    }
}

impl Write for Atomic {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.w {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("the file was already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.w.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for Atomic {
    fn drop(&mut self) {
        // Not committed: the temporary file goes, the old file stays.
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut f = Atomic::create(path)?;
    f.write_all(bytes)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_whole_or_the_old_one_stays() {
        let dir = std::env::temp_dir().join(format!("mindgap-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.csv");
        write(&path, b"old").unwrap();
        {
            let mut f = Atomic::create(&path).unwrap();
            f.write_all(b"half of the new").unwrap();
            // Dropped without commit: as if interrupted.
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        let mut f = Atomic::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
