//! Putting bytes on disk safely: a file is written to a temporary name in its
//! folder and renamed into place, so a reader never sees half a file and an
//! interrupted run leaves the previous result whole. Temporary and probe
//! files get unpredictable names and are created exclusively, never through
//! a link someone planted in a shared folder (the `tempfile` crate).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An I/O failure with the path it concerns.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn at(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError { path: path.to_path_buf(), source }
}

/// Writes `bytes` to `path` atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(at(dir))?;
    // Removed on any failure (the temporary file is deleted when dropped).
    let mut tmp = tempfile::Builder::new().prefix(".hallsim-").suffix(".tmp").tempfile_in(dir).map_err(at(dir))?;
    // Readable like any output, not private as a temporary file is made.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(fs::Permissions::from_mode(0o644)).map_err(at(path))?;
    }
    tmp.write_all(bytes).map_err(at(path))?;
    tmp.as_file().sync_all().map_err(at(path))?;
    tmp.persist(path).map_err(|e| WriteError { path: path.to_path_buf(), source: e.error })?;
    Ok(())
}

/// Checks that `dir` can be created and written, before any long work starts.
pub fn check_writable(dir: &Path) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(at(dir))?;
    let probe = tempfile::Builder::new().prefix(".hallsim-probe-").tempfile_in(dir).map_err(at(dir))?;
    probe.close().map_err(at(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("hallsim-write-{}", std::process::id()));
        let path = dir.join("sub").join("a.csv");
        write_atomic(&path, b"x,y\n").unwrap();
        write_atomic(&path, b"x,y\n1,2\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x,y\n1,2\n");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_redirects_nothing() {
        let dir = std::env::temp_dir().join(format!("hallsim-links-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim.txt");
        fs::write(&victim, b"keep").unwrap();
        // The old predictable names, planted as links to another file.
        let pid = std::process::id();
        for name in [format!(".hallsim-probe-{pid}"), format!(".a.csv.tmp-{pid}")] {
            std::os::unix::fs::symlink(&victim, dir.join(name)).unwrap();
        }
        check_writable(&dir).unwrap();
        write_atomic(&dir.join("a.csv"), b"x\n").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"x\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
