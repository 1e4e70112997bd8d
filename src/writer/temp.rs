//! The temporary files outputs are written through: short fixed-length names beside the output
//! (`.pgcheck-<pid>-<n>.tmp`, 26 bytes, so an output name of up to 255 bytes still works),
//! removed when dropped, on SIGINT and SIGTERM, and by a later run when their process is gone.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Once;

const PREFIX: &str = ".pgcheck-";
const SUFFIX: &str = ".tmp";

/// Temporaries the signal handler removes: C strings the handler can pass to `unlink` without
/// allocating. A slot's string is leaked when released (a few bytes per output written), so
/// the handler never reads freed memory.
const SLOTS: usize = 64;
static LIVE: [AtomicPtr<libc_char>; SLOTS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
static SEQ: AtomicUsize = AtomicUsize::new(0);

#[allow(non_camel_case_types)]
type libc_char = std::ffi::c_char;

/// One temporary file's name, registered for removal until `forget` (after a rename).
#[derive(Debug)]
pub struct Temp {
    path: PathBuf,
    slot: Option<usize>,
}

impl Temp {
    /// A new, unused name in `dir`; the file itself is created by the caller.
    pub fn new(dir: &Path) -> io::Result<Temp> {
        signals::install();
        let n = SEQ.fetch_add(1, Ordering::Relaxed) & 0xffff;
        let name = format!("{PREFIX}{:08x}-{n:04x}{SUFFIX}", std::process::id());
        let path = dir.join(name);
        let slot = register(&path);
        Ok(Temp { path, slot })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file was renamed into place: nothing to remove any more.
    pub fn forget(mut self) {
        self.release();
    }

    fn release(&mut self) {
        if let Some(i) = self.slot.take() {
            LIVE[i].store(std::ptr::null_mut(), Ordering::SeqCst);
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.slot.is_some() {
            self.release();
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(unix)]
fn register(path: &Path) -> Option<usize> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    let ptr = c.into_raw();
    for (i, slot) in LIVE.iter().enumerate() {
        if slot
            .compare_exchange(
                std::ptr::null_mut(),
                ptr,
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_ok()
        {
            return Some(i);
        }
    }
    // More outputs at once than slots: this one is still removed on drop, not on a signal.
    // SAFETY: `ptr` came from `into_raw` above and was never shared.
    drop(unsafe { CString::from_raw(ptr) });
    None
}

#[cfg(not(unix))]
fn register(_path: &Path) -> Option<usize> {
    None
}

/// Removes temporaries in `dir` left by pgcheck runs that are no longer running (killed by
/// SIGKILL or a power cut). Errors are ignored: this is tidying, not the job.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The process id in a temporary's name, if `name` is one.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (pid, n) = rest.split_once('-')?;
    if pid.len() != 8 || n.len() != 4 || !n.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(pid, 16).ok()
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    // No cheap check elsewhere: keep it (a stale file is untidy, a removed live one is a loss).
    true
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// The I/O error a rust_xlsxwriter panic reports (it panics with the `io::Error`'s debug text
/// when a temporary file cannot be written).
pub fn error_in_panic(text: &str) -> io::Error {
    if text.contains("StorageFull") || text.contains("QuotaExceeded") || text.contains("code: 28,")
    {
        io::Error::from(io::ErrorKind::StorageFull)
    } else if text.contains("PermissionDenied") {
        io::Error::from(io::ErrorKind::PermissionDenied)
    } else {
        io::Error::other(text.to_string())
    }
}

#[cfg(not(unix))]
mod signals {
    pub fn install() {}
}

#[cfg(unix)]
mod signals {
    use super::*;

    /// SIGINT and SIGTERM remove every live temporary, then end the process as the signal
    /// would have. The handler only loads pointers and calls `unlink`, `signal` and `raise`,
    /// which are async-signal-safe.
    pub fn install() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            for sig in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: `handler` is an `extern "C" fn(c_int)` doing only async-signal-safe
                // work.
                unsafe {
                    libc::signal(
                        sig,
                        handler as extern "C" fn(libc::c_int) as libc::sighandler_t,
                    );
                }
            }
        });
    }

    extern "C" fn handler(sig: libc::c_int) {
        for slot in LIVE.iter() {
            let p = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: a registered pointer is a leaked, never-freed C string.
                unsafe {
                    libc::unlink(p);
                }
            }
        }
        // SAFETY: restoring the default action and re-raising ends the process with the
        // signal's usual status.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_short_and_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let t = Temp::new(dir.path()).unwrap();
        let name = t.path().file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(name.len(), 26, "{name}");
        assert_eq!(temp_pid(&name), Some(std::process::id()));
        assert_eq!(temp_pid(".pgcheck-zz.tmp"), None);
        assert_eq!(temp_pid("泽州县.xlsx"), None);
    }

    #[test]
    fn stale_temporaries_of_dead_runs_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // pid 0x7ffffff0 does not exist (beyond pid_max); ours does.
        let dead = dir.path().join(".pgcheck-7ffffff0-0001.tmp");
        let ours = dir
            .path()
            .join(format!(".pgcheck-{:08x}-ffff.tmp", std::process::id()));
        let other = dir.path().join(".pgcheck-notes.tmp");
        for p in [&dead, &ours, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        clean_stale(dir.path());
        assert!(!dead.exists());
        assert!(ours.exists());
        assert!(other.exists());
    }
}
