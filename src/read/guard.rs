//! The limits every read goes through, and the panic guard around calamine: a file too large to
//! check, or one that makes a reader panic, becomes an `OpenError` instead of an abort.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{OpenError, Special};

/// At most this many stored cells per workbook (all sheets together).
pub const MAX_CELLS: usize = 5_000_000;
/// At most this many bytes on disk.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// At most this many uncompressed bytes for one zip member (a sheet's XML, shared strings …).
pub const MAX_MEMBER_BYTES: u64 = 500 * 1024 * 1024;
/// At most this many uncompressed bytes for all zip members together.
pub const MAX_TOTAL_UNCOMPRESSED: u64 = 2 * 1024 * 1024 * 1024;
/// xls and ods: calamine builds dense ranges (about 60 bytes per cell of the bounding box, also
/// for the space the xls DIMENSIONS record declares). At most this many cells of bounding box
/// over all sheets, checked before calamine reads the file.
pub const MAX_DENSE_AREA: u64 = 2_500_000;
/// At most this many merged regions per sheet (real reports have a few hundred).
pub const MAX_MERGES: usize = 100_000;

// ---------------------------------------------------------------------------------------------
// Panic containment

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// How many panics inside the readers have been caught in this process (for tallies).
pub fn panics_caught() -> usize {
    PANICS.load(Ordering::Relaxed)
}

/// Runs `f` with panics caught and silenced; a panic becomes `OpenError::Corrupt`.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, OpenError>) -> Result<T, OpenError> {
    crate::panics::catch(f).unwrap_or_else(|text| {
        PANICS.fetch_add(1, Ordering::Relaxed);
        Err(OpenError::Corrupt(format!("reader panicked: {text}")))
    })
}

// ---------------------------------------------------------------------------------------------
// Sizes

/// Reads the file at `path` as a workbook: only a regular file, at most `MAX_FILE_BYTES`.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, OpenError> {
    read_regular_file(path, MAX_FILE_BYTES).map_err(|e| match Special::in_error(&e) {
        Some(kind) => OpenError::NotAFile(kind),
        None if e.kind() == std::io::ErrorKind::FileTooLarge => OpenError::TooLarge(e.to_string()),
        None => OpenError::Io(e),
    })
}

/// Reads the file at `path`, which must be a regular file (a FIFO would block the read until a
/// writer comes, a device such as `/dev/zero` never ends: the error then carries a `Special`),
/// at most `limit` bytes of it (`FileTooLarge` beyond), the limit held while reading too (the
/// length on disk is 0 for devices and may change meanwhile). For every file pgcheck reads.
pub fn read_regular_file(path: &std::path::Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let too_large = |len: u64| {
        Error::new(
            ErrorKind::FileTooLarge,
            format!(
                "{} MB on disk, limit {} MB",
                len / (1024 * 1024),
                limit / (1024 * 1024)
            ),
        )
    };
    let check = |meta: &std::fs::Metadata| match Special::of(meta) {
        Some(kind) => Err(Error::other(kind)),
        None if meta.len() > limit => Err(too_large(meta.len())),
        None => Ok(()),
    };
    // Looked at before opening (following symlinks): opening a FIFO blocks.
    check(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    // And the file opened, in case the path was replaced in between.
    let meta = file.metadata()?;
    check(&meta)?;
    let mut data = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut data)?;
    if data.len() as u64 > limit {
        return Err(too_large(data.len() as u64));
    }
    Ok(data)
}

/// Counts stored cells across the workbook and enforces `MAX_CELLS`.
#[derive(Default)]
pub(crate) struct CellBudget(usize);

impl CellBudget {
    pub fn take(&mut self) -> Result<(), OpenError> {
        self.0 += 1;
        if self.0 > MAX_CELLS {
            return Err(OpenError::TooLarge(format!("more than {MAX_CELLS} cells")));
        }
        Ok(())
    }
}

/// The smallest rectangle holding every cell added (rows and columns inclusive): the dense
/// range calamine would allocate for them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoundingBox(Option<(u64, u64, u64, u64)>);

impl BoundingBox {
    /// Adds the cells of rows `r0..=r1` and columns `c0..=c1`.
    pub fn add(&mut self, r0: u64, c0: u64, r1: u64, c1: u64) {
        self.0 = Some(match self.0 {
            None => (r0, c0, r1, c1),
            Some((a, b, c, d)) => (a.min(r0), b.min(c0), c.max(r1), d.max(c1)),
        });
    }

    /// (first row, first column, last row, last column), `None` when nothing was added.
    pub fn corners(&self) -> Option<(u64, u64, u64, u64)> {
        self.0
    }

    /// The number of cells of the rectangle (0 when empty), saturating.
    pub fn area(&self) -> u64 {
        self.0.map_or(0, |(a, b, c, d)| {
            (c.saturating_sub(a).saturating_add(1))
                .saturating_mul(d.saturating_sub(b).saturating_add(1))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_corrupt_and_stay_quiet() {
        let before = panics_caught();
        let r: Result<(), OpenError> = guarded(|| panic!("boom inside a reader"));
        match r {
            Err(OpenError::Corrupt(m)) => assert!(m.contains("boom")),
            other => panic!("{other:?}"),
        }
        assert!(panics_caught() > before);
    }

    #[test]
    fn bounding_box_spans_what_was_added() {
        let mut b = BoundingBox::default();
        assert_eq!(b.area(), 0);
        b.add(3, 2, 3, 2);
        assert_eq!(b.area(), 1);
        b.add(1, 5, 4, 6);
        assert_eq!(b.corners(), Some((1, 2, 4, 6)));
        assert_eq!(b.area(), 4 * 5);
        b.add(0, 0, u64::MAX, u64::MAX);
        assert_eq!(b.area(), u64::MAX);
    }
}
