//! The one little-endian reader for the binary formats (the compound file, BIFF records):
//! every read is bounds-checked and gives `None` past the end.

/// A byte slice read as little-endian integers at absolute offsets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Le<'a>(pub &'a [u8]);

impl<'a> Le<'a> {
    pub fn u16(self, at: usize) -> Option<u16> {
        let b = self.0.get(at..at.checked_add(2)?)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(self, at: usize) -> Option<u32> {
        let b = self.0.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The u16 at `at` widened, 0 past the end (for size estimates that must not fail).
    pub fn u16_or0(self, at: usize) -> u64 {
        self.u16(at).map_or(0, u64::from)
    }

    /// Every whole u32 of the slice, in order.
    pub fn u32s(self) -> impl Iterator<Item = u32> + 'a {
        self.0
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// The UTF-16LE code units of the slice (an odd last byte is dropped).
    pub fn utf16(self) -> Vec<u16> {
        self.0
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Le;

    #[test]
    fn reads_are_little_endian_and_bounded() {
        let b = Le(&[0x01, 0x02, 0x03, 0x04, 0x05]);
        assert_eq!(b.u16(0), Some(0x0201));
        assert_eq!(b.u32(1), Some(0x0504_0302));
        assert_eq!(b.u32(2), None);
        assert_eq!(b.u16(usize::MAX), None);
        assert_eq!(b.u16_or0(4), 0);
        assert_eq!(b.u32s().collect::<Vec<_>>(), vec![0x0403_0201]);
        assert_eq!(b.utf16(), vec![0x0201, 0x0403]);
    }
}
