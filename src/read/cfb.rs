//! A minimal, bounds-checked reader of the compound file (CFB) that holds an `.xls` (and an
//! encrypted OOXML package): directory names for sniffing, the `Workbook` stream for the size
//! check, and a refusal of looping sector chains that calamine would follow forever.

use super::bytes::Le;
use super::OpenError;

/// A sector id at or above this ends a chain (or marks a special sector).
const END_OF_CHAIN: u32 = 0xFFFF_FFFA;

/// One 128-byte directory entry.
#[derive(Clone, Copy)]
struct DirEntry<'a>(&'a [u8]);

impl<'a> DirEntry<'a> {
    /// Bytes 64-65: the name's length in bytes, its terminating NUL included.
    fn name_len(self) -> usize {
        Le(self.0).u16_or0(64) as usize
    }

    /// Byte 66: 1 storage, 2 stream, 5 root.
    fn typ(self) -> u8 {
        self.0[66]
    }

    /// The UTF-16 units of the name before its terminator (`name_len` must be 2..=64).
    fn name_units(self) -> Vec<u16> {
        Le(&self.0[..self.name_len() - 2]).utf16()
    }

    fn start(self) -> u32 {
        Le(self.0).u32(116).unwrap_or(0)
    }

    fn size(self) -> usize {
        Le(self.0).u32(120).unwrap_or(0) as usize
    }
}

/// Lists the names of the CFB directory entries found in the file (a byte scan over 128-byte
/// aligned directory entries, so it also works on a truncated file).
pub(crate) fn entry_names(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut off = 512;
    while off + 128 <= data.len() {
        let entry = DirEntry(&data[off..off + 128]);
        let name_len = entry.name_len();
        if (4..=64).contains(&name_len)
            && name_len.is_multiple_of(2)
            && matches!(entry.typ(), 1 | 2 | 5)
        {
            let units = entry.name_units();
            let terminated = entry.0[name_len - 2] == 0 && entry.0[name_len - 1] == 0;
            if terminated && units.iter().all(|&u| !(0x08..0x20).contains(&u)) {
                if let Ok(s) = String::from_utf16(&units) {
                    out.push(s);
                }
            }
        }
        off += 128;
    }
    out
}

/// A CFB file's sector size, sector count and FAT, read with bounds checks.
struct CfbFat<'a> {
    data: &'a [u8],
    ss: usize,
    nsec: usize,
    fat: Vec<u32>,
}

/// A chain that never reaches its end within the file's sector count: a loop.
struct Cyclic;

impl<'a> CfbFat<'a> {
    fn read(data: &'a [u8]) -> Option<CfbFat<'a>> {
        let le = Le(data);
        let shift = le.u16(30)?;
        if !(7..=12).contains(&shift) {
            return None;
        }
        let ss = 1usize << shift;
        let nsec = data.len().saturating_sub(512) / ss + 1;
        let mut this = CfbFat {
            data,
            ss,
            nsec,
            fat: Vec::new(),
        };
        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        let mut fat_ids: Vec<u32> = (0..109).filter_map(|i| le.u32(76 + 4 * i)).collect();
        let mut next = le.u32(68)?;
        let mut hops = 0;
        while next < END_OF_CHAIN && hops <= nsec {
            let words: Vec<u32> = Le(this.partial_sector(next)?).u32s().collect();
            let (last, body) = words.split_last()?;
            fat_ids.extend_from_slice(body);
            next = *last;
            hops += 1;
        }
        let mut fat = Vec::new();
        // Every FAT sector calamine would load (repeats included), so its chains are ours too.
        for id in fat_ids.into_iter().filter(|&id| id < END_OF_CHAIN) {
            // A last sector cut short by the end of the file still counts, as in calamine.
            let Some(sec) = this.partial_sector(id) else {
                continue;
            };
            fat.extend(Le(sec).u32s());
        }
        this.fat = fat;
        Some(this)
    }

    /// Follows the chain from `start` as calamine does (through sectors past the end of the data
    /// too, up to its `len / sector size` bound) and reports a loop.
    fn walk(&self, start: u32) -> Result<(), Cyclic> {
        let maxid = self.data.len() / self.ss;
        let (mut id, mut hops) = (start, 0usize);
        while id < END_OF_CHAIN {
            if id as usize > maxid {
                return Ok(());
            }
            let Some(&n) = self.fat.get(id as usize) else {
                return Ok(());
            };
            id = n;
            hops += 1;
            if hops > maxid + 1 {
                return Err(Cyclic);
            }
        }
        Ok(())
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        Le(self.data).u32(at)
    }

    /// Sector `id`, or what the file holds of it when the file ends inside it.
    fn partial_sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.ss)?;
        let end = start.checked_add(self.ss)?.min(self.data.len());
        self.data.get(start..end)
    }

    /// Sector `id` (it starts after the header, which takes one sector).
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.ss)?;
        self.data.get(start..start.checked_add(self.ss)?)
    }

    /// The bytes of the chain from `start`, at most `limit`; `Err(Cyclic)` for a loop, `Ok(None)`
    /// for a chain leaving the file.
    fn chain(&self, start: u32, limit: usize) -> Result<Option<Vec<u8>>, Cyclic> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id < END_OF_CHAIN && out.len() < limit {
            let Some(sec) = self.sector(id) else {
                return Ok(None);
            };
            out.extend_from_slice(sec);
            let Some(&n) = self.fat.get(id as usize) else {
                return Ok(None);
            };
            id = n;
            hops += 1;
            if hops > self.nsec {
                return Err(Cyclic);
            }
        }
        out.truncate(limit);
        Ok(Some(out))
    }
}

/// Refuses a CFB file with a looping sector chain in any chain calamine follows (directory,
/// mini stream, mini FAT, each stream): calamine would follow it until memory runs out (found
/// by fuzzing). Chains that merely leave the file are calamine's to report.
pub(crate) fn check_chains(data: &[u8]) -> Result<(), OpenError> {
    let cyclic = |_: Cyclic| OpenError::Corrupt("a sector chain of the compound file loops".into());
    let Some(f) = CfbFat::read(data) else {
        return Ok(());
    };
    let (Some(dir_start), Some(minifat_start)) = (f.u32_at(48), f.u32_at(60)) else {
        return Ok(());
    };
    f.walk(dir_start).map_err(cyclic)?;
    f.walk(minifat_start).map_err(cyclic)?;
    // The directory as far as it can be read, for the streams' own chains.
    let dir = f
        .chain(dir_start, 1 << 24)
        .ok()
        .flatten()
        .unwrap_or_default();
    let minifat: Vec<u32> = Le(&f
        .chain(minifat_start, 1 << 24)
        .ok()
        .flatten()
        .unwrap_or_default())
    .u32s()
    .collect();
    let mut mini_len = 0;
    for (k, entry) in dir.chunks_exact(128).map(DirEntry).enumerate() {
        if !matches!(entry.typ(), 2 | 5) {
            continue;
        }
        let (start, size) = (entry.start(), entry.size());
        if k == 0 || size >= 4096 {
            f.walk(start).map_err(cyclic)?;
            if k == 0 {
                mini_len = size;
            }
        } else {
            // Mini streams: 64-byte sectors chained by the mini FAT.
            let (mut id, mut hops) = (start, 0);
            while id < END_OF_CHAIN {
                let Some(&n) = minifat.get(id as usize) else {
                    break;
                };
                id = n;
                hops += 1;
                if hops > mini_len / 64 + 1 {
                    return Err(cyclic(Cyclic));
                }
            }
        }
    }
    Ok(())
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a CFB file, read with a minimal,
/// bounds-checked CFB reader (regular and mini streams). `None` when it cannot be read.
pub(crate) fn workbook_stream(data: &[u8]) -> Option<Vec<u8>> {
    let f = CfbFat::read(data)?;
    let chain = |start: u32, limit: usize| f.chain(start, limit).ok().flatten();
    let dir = chain(f.u32_at(48)?, usize::MAX)?;
    let root_start = Le(&dir).u32(116)?;
    for entry in dir.chunks_exact(128).map(DirEntry) {
        if entry.typ() != 2 || !(2..=64).contains(&entry.name_len()) {
            continue;
        }
        let name = String::from_utf16_lossy(&entry.name_units());
        if name == "Workbook" || name == "Book" {
            let (start, size) = (entry.start(), entry.size());
            if size >= 4096 {
                return chain(start, size);
            }
            // A small stream lives in the mini stream (64-byte sectors, own FAT).
            let mini = chain(root_start, usize::MAX)?;
            let minifat: Vec<u32> = Le(&chain(f.u32_at(60)?, usize::MAX)?).u32s().collect();
            let mut out = Vec::with_capacity(size);
            let mut id = start;
            while id < END_OF_CHAIN && out.len() < size {
                let at = (id as usize).checked_mul(64)?;
                out.extend_from_slice(mini.get(at..at + 64)?);
                id = *minifat.get(id as usize)?;
                if out.len() > mini.len() {
                    return None;
                }
            }
            out.truncate(size);
            return Some(out);
        }
    }
    None
}
