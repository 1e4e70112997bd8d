//! Panics pgcheck catches and reports in its own words: a reader's (calamine on a broken file,
//! `read::guard`), a check's (a bug: S01 for that file, `validate`), the writer's
//! (rust_xlsxwriter on a full disk, `writer::guarded`). Those are not printed; any other panic,
//! a crash, still is, by the hook that was there before.

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

thread_local! {
    /// How many `catch` calls this thread is inside.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// How many `catch_everywhere` calls are running, on any thread.
static CATCHING_EVERYWHERE: AtomicUsize = AtomicUsize::new(0);

fn install_quiet_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_with`: the thread-local may already be gone while a thread shuts down.
            let here = CATCHING.try_with(|n| n.get() > 0).unwrap_or(false);
            if !here && CATCHING_EVERYWHERE.load(Ordering::SeqCst) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic on this thread inside it is caught without being printed and comes back
/// as its text.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    CATCHING.with(|n| n.set(n.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|n| n.set(n.get() - 1));
    result.map_err(|payload| text(&*payload))
}

/// Like `catch`, for work that spreads over threads (rayon): while it runs, no panic on any
/// thread is printed.
pub fn catch_everywhere<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    CATCHING_EVERYWHERE.fetch_add(1, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING_EVERYWHERE.fetch_sub(1, Ordering::SeqCst);
    result.map_err(|payload| text(&*payload))
}

/// A panic's message (`panic!("…")` gives a `&str` or a `String`); empty for any other payload.
fn text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_comes_back_as_its_text() {
        assert_eq!(catch(|| panic!("boom")), Err::<(), _>("boom".to_string()));
        let n = 3;
        assert_eq!(
            catch(|| panic!("boom {n}")),
            Err::<(), _>("boom 3".to_string())
        );
        assert_eq!(catch_everywhere(|| 7), Ok(7));
        // The count is back to zero afterwards, also after a panic.
        assert_eq!(CATCHING.with(|n| n.get()), 0);
    }
}
