//! Putting bytes on disk safely. A command's output folder is written whole
//! into a fresh temporary folder beside it and swapped in at the end, so the
//! folder always holds one complete run: a failed write or an interrupted run
//! leaves the previous output as it was. A single file (a shard) is written
//! to a temporary name and renamed into place. Temporary names are
//! unpredictable and created exclusively, never through a link someone
//! planted in a shared folder (the `tempfile` crate); on Ctrl-C, [`abandon`]
//! removes whatever is still being written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

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

/// Temporary folders that exist while a command runs. Every write holds this
/// lock, so [`abandon`] never removes a folder half-way through a write.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary folder still being written and ends the process
/// with `code`; for an interrupt (Ctrl-C). Writes in progress finish first.
pub fn abandon(code: i32) -> ! {
    let list = pending();
    for dir in list.iter() {
        let _ = fs::remove_dir_all(dir);
    }
    std::process::exit(code)
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Outputs are readable like any file a user makes, not private as temporary files are made.
#[cfg(unix)]
fn make_readable(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn make_readable(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// Writes `bytes` to `path` atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let _writing = pending();
    let dir = parent_of(path);
    fs::create_dir_all(dir).map_err(at(dir))?;
    // Removed on any failure (the temporary file is deleted when dropped).
    let mut tmp = tempfile::Builder::new().prefix(".hallsim-").suffix(".tmp").tempfile_in(dir).map_err(at(dir))?;
    make_readable(tmp.path(), 0o644).map_err(at(path))?;
    tmp.write_all(bytes).map_err(at(path))?;
    tmp.as_file().sync_all().map_err(at(path))?;
    tmp.persist(path).map_err(|e| WriteError { path: path.to_path_buf(), source: e.error })?;
    Ok(())
}

/// Checks that files can be created in `dir`, before any long work starts.
pub fn check_writable(dir: &Path) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(at(dir))?;
    let probe = tempfile::Builder::new().prefix(".hallsim-probe-").tempfile_in(dir).map_err(at(dir))?;
    probe.close().map_err(at(dir))
}

/// An output folder being written: files go into a fresh temporary folder
/// beside `target`, which [`OutputDir::commit`] swaps in for the old one.
/// Dropped without a commit, it leaves nothing behind.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: Option<tempfile::TempDir>,
}

impl OutputDir {
    /// Starts the folder `target`. Refuses, before any work, a target that
    /// exists but is not a folder (a file, or a link hallsim would not
    /// replace) and a parent folder that cannot be written.
    pub fn create(target: &Path) -> Result<Self, WriteError> {
        if let Ok(meta) = fs::symlink_metadata(target)
            && !meta.is_dir()
        {
            let what = if meta.file_type().is_symlink() { "a link" } else { "a file" };
            let message = format!("it is {what}, not a folder; hallsim replaces its output folders whole");
            return Err(WriteError { path: target.to_path_buf(), source: std::io::Error::other(message) });
        }
        let parent = parent_of(target);
        let mut list = pending();
        fs::create_dir_all(parent).map_err(at(parent))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let staging =
            tempfile::Builder::new().prefix(&format!(".{name}.hallsim-")).tempdir_in(parent).map_err(at(parent))?;
        list.push(staging.path().to_path_buf());
        Ok(OutputDir { target: target.to_path_buf(), staging: Some(staging) })
    }

    /// The folder's final path.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` as the file `name` (which may hold `/`) of the folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let _writing = pending();
        let shown = self.target.join(name);
        let staging = self.staging.as_ref().expect("an output folder is written until it is committed");
        let path = staging.path().join(name);
        fs::create_dir_all(parent_of(&path)).map_err(at(&shown))?;
        let mut file = fs::File::create_new(&path).map_err(at(&shown))?;
        file.write_all(bytes).map_err(at(&shown))?;
        file.sync_all().map_err(at(&shown))
    }

    /// Puts the folder in place of whatever `target` held. The old folder is
    /// moved aside first and removed only once the new one is in place.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let mut list = pending();
        let staging = self.staging.take().expect("an output folder is committed once");
        let staged = staging.path().to_path_buf();
        make_readable(&staged, 0o755).map_err(at(&self.target))?;
        let parent = parent_of(&self.target);
        let aside = tempfile::Builder::new().prefix(".hallsim-old-").tempdir_in(parent).map_err(at(parent))?;
        let old = aside.path().join("previous");
        let had_old = match fs::rename(&self.target, &old) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(at(&self.target)(e)),
        };
        if let Err(e) = fs::rename(&staged, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(at(&self.target)(e));
        }
        // The staging folder is now the target: nothing left to remove.
        let _ = staging.keep();
        list.retain(|p| *p != staged);
        drop(aside);
        drop(list);
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if let Some(staging) = self.staging.take() {
            let mut list = pending();
            list.retain(|p| p != staging.path());
            drop(staging);
        }
    }
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

    fn fresh(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hallsim-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn an_output_folder_replaces_the_old_one_whole() {
        let dir = fresh("outdir");
        let target = dir.join("run");
        fs::create_dir_all(target.join("charts")).unwrap();
        fs::write(target.join("charts/old.svg"), "old").unwrap();
        let out = OutputDir::create(&target).unwrap();
        out.write("a.csv", b"new\n").unwrap();
        out.write("charts/b.svg", b"<svg/>").unwrap();
        assert!(target.join("charts/old.svg").exists(), "nothing changes before the commit");
        out.commit().unwrap();
        assert_eq!(listing(&target), ["a.csv", "charts"]);
        assert_eq!(listing(&target.join("charts")), ["b.svg"]);
        assert_eq!(listing(&dir), ["run"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_previous_folder_and_no_temporary() {
        let dir = fresh("outfail");
        let target = dir.join("run");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("a.csv"), "previous").unwrap();
        let out = OutputDir::create(&target).unwrap();
        out.write("a.csv", b"new").unwrap();
        let err = out.write("bad\0name", b"x").unwrap_err();
        assert!(err.path.starts_with(&target), "the error names the output, not the temporary folder: {err}");
        drop(out);
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"previous");
        assert_eq!(listing(&dir), ["run"]);
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
