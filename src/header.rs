//! Finding a template's header in a sheet (SPEC 5): scan the first rows for the row that holds
//! most of a template's leaf labels, build each column's label path from the rows above it, and
//! map template columns to sheet columns by leaf plus as many ancestors as make it unique.

use crate::grid::{Sheet, Value};
use crate::template::{Template, TemplateId};
use crate::values::normalize_label;

/// Labels of columns that pgcheck itself adds (the consolidated workbook's leading column):
/// known, never reported as unknown.
const OWN_LABELS: &[&str] = &[crate::template::LEAD_LABEL];

/// How many rows from the top are searched for a header.
const SCAN_ROWS: u32 = 20;
/// Columns considered right of A (wider sheets are data noise for header purposes).
const MAX_HEADER_COLS: u32 = 200;

/// Where a template's header sits in a sheet, and which sheet column holds each template column.
#[derive(Debug, Clone)]
pub struct HeaderMatch {
    pub template: TemplateId,
    /// First header row (0-based).
    pub top: u32,
    /// Deepest header row (0-based); data starts below it.
    pub bottom: u32,
    /// Leftmost header column.
    pub first_col: u32,
    /// For each template column (by index), the sheet column holding it.
    pub cols: Vec<Option<u32>>,
    /// Sheet columns whose header matches no template column: (column, label as written).
    pub unknown: Vec<(u32, String)>,
}

impl HeaderMatch {
    pub fn template(&self) -> &'static Template {
        self.template.template()
    }

    /// The sheet column of template column `key`.
    pub fn col(&self, key: impl Into<crate::template::Key>) -> Option<u32> {
        self.cols[self.template().index(key)]
    }

    /// Number of template columns found.
    pub fn found(&self) -> usize {
        self.cols.iter().filter(|c| c.is_some()).count()
    }
}

fn label(v: &Value) -> Option<String> {
    match v {
        Value::Text(s) => {
            let n = normalize_label(s);
            (!n.is_empty()).then_some(n)
        }
        _ => None,
    }
}

/// Normalised template paths, computed once per call (cheap: a few dozen strings).
struct Norm {
    paths: Vec<Vec<String>>,
    variants: Vec<Vec<String>>,
    /// Every leaf label and variant, for the per-row quick filter.
    leaves: std::collections::HashSet<String>,
    /// Every label anywhere in a path or among the variants.
    labels: std::collections::HashSet<String>,
}

impl Norm {
    fn of(t: &Template) -> Norm {
        let paths: Vec<Vec<String>> = t
            .columns
            .iter()
            .map(|c| c.path.iter().map(|p| normalize_label(p)).collect())
            .collect();
        let variants: Vec<Vec<String>> = t
            .columns
            .iter()
            .map(|c| c.variants.iter().map(|p| normalize_label(p)).collect())
            .collect();
        let leaves = paths
            .iter()
            .filter_map(|p| p.last())
            .chain(variants.iter().flatten())
            .cloned()
            .collect();
        let labels = paths
            .iter()
            .flatten()
            .chain(variants.iter().flatten())
            .cloned()
            .collect();
        Norm {
            paths,
            variants,
            leaves,
            labels,
        }
    }

    /// The normalised paths of template `id`, computed once per process.
    fn get(id: TemplateId) -> &'static Norm {
        static NORMS: std::sync::OnceLock<Vec<Norm>> = std::sync::OnceLock::new();
        let all = NORMS.get_or_init(|| {
            TemplateId::ALL
                .iter()
                .map(|id| Norm::of(id.template()))
                .collect()
        });
        &all[TemplateId::ALL
            .iter()
            .position(|x| *x == id)
            .unwrap_or_default()]
    }

    fn leaf_matches(&self, i: usize, leaf: &str) -> bool {
        self.paths[i].last().is_some_and(|l| l == leaf)
            || self.variants[i].iter().any(|v| v == leaf)
    }

    /// Template columns with a label equal to `label` anywhere in their path or variants.
    fn knows(&self, label: &str) -> bool {
        self.labels.contains(label)
    }
}

/// The labels of the first `SCAN_ROWS` rows (merged cells filled), normalised once per sheet:
/// every template and every candidate header row reads them from here.
struct Labels {
    width: usize,
    cells: Vec<Option<String>>,
}

impl Labels {
    fn of(sheet: &Sheet, max_col: u32) -> Labels {
        let width = max_col as usize + 1;
        let mut cells = Vec::with_capacity(width * SCAN_ROWS as usize);
        for r in 0..SCAN_ROWS {
            for c in 0..=max_col {
                cells.push(label(sheet.get(r, c)));
            }
        }
        Labels { width, cells }
    }

    /// The label at (r, c); `r < SCAN_ROWS`, `c <= max_col`.
    fn get(&self, r: u32, c: u32) -> Option<&String> {
        self.cells[r as usize * self.width + c as usize].as_ref()
    }
}

/// The label path of each sheet column for a header ending at `bottom` and at most `depth` rows
/// deep: the labels read top-down (merged cells filled), consecutive repeats collapsed.
fn column_paths(labels: &Labels, top: u32, bottom: u32, max_col: u32) -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new(); max_col as usize + 1];
    for r in top..=bottom {
        for (c, path) in paths.iter_mut().enumerate() {
            if let Some(l) = labels.get(r, c as u32) {
                if path.last() != Some(l) {
                    path.push(l.clone());
                }
            }
        }
    }
    paths
}

/// Maps template columns to sheet columns given each sheet column's path.
fn assign(norm: &Norm, paths: &[Vec<String>]) -> (Vec<Option<u32>>, Vec<u32>) {
    let n = norm.paths.len();
    let mut cols: Vec<Option<u32>> = vec![None; n];
    let mut unmatched = Vec::new();
    for (c, path) in paths.iter().enumerate() {
        let Some(leaf) = path.last() else { continue };
        // Candidates by leaf; the best is the one with most ancestors present in the path.
        let mut best: Option<(usize, usize)> = None; // (score, template index)
        for (i, assigned) in cols.iter().enumerate() {
            if assigned.is_some() || !norm.leaf_matches(i, leaf) {
                continue;
            }
            let tp = &norm.paths[i];
            let ancestors = &tp[..tp.len() - 1];
            let score = ancestors.iter().filter(|a| path.contains(a)).count();
            // An ancestor in the sheet path that contradicts the template path disqualifies
            // (户数 under 欠发过渡安置费情况 is not 户数 under 已发放过渡安置费).
            let contradicts = path[..path.len() - 1]
                .iter()
                .any(|p| norm.knows(p) && !tp.contains(p) && is_group_of_other(norm, p, i));
            if contradicts {
                continue;
            }
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        match best {
            Some((_, i)) => cols[i] = Some(c as u32),
            None => unmatched.push(c as u32),
        }
    }
    (cols, unmatched)
}

/// True when `label` is a group (non-leaf) label of some template column other than `i`, and
/// not an ancestor of `i`: seeing it above a column means the column belongs to that group.
fn is_group_of_other(norm: &Norm, label: &str, i: usize) -> bool {
    norm.paths.iter().enumerate().any(|(j, p)| {
        j != i
            && p.len() > 1
            && p[..p.len() - 1].iter().any(|a| a == label)
            && !norm.paths[i].iter().any(|a| a == label)
    })
}

/// Finds the best-matching template header in `sheet`, if at least half of a template's
/// columns are found.
pub fn detect(sheet: &Sheet) -> Option<HeaderMatch> {
    let max_col = sheet
        .iter()
        .take_while(|(at, _)| at.row < SCAN_ROWS)
        .map(|(at, _)| at.col)
        .max()?
        .min(MAX_HEADER_COLS);
    let labels = Labels::of(sheet, max_col);
    let mut best: Option<(usize, HeaderMatch)> = None;
    for id in TemplateId::ALL {
        let t = id.template();
        let norm = Norm::get(id);
        let depth = t.header_depth() as u32;
        for bottom in 0..SCAN_ROWS {
            // Quick filter: the row itself must hold some leaf label of the template.
            let leaves_here = (0..=max_col)
                .filter_map(|c| labels.get(bottom, c))
                .filter(|l| norm.leaves.contains(l.as_str()))
                .count();
            if leaves_here == 0 {
                continue;
            }
            let top = bottom.saturating_sub(depth - 1);
            let paths = column_paths(&labels, top, bottom, max_col);
            let (cols, unmatched) = assign(norm, &paths);
            let found = cols.iter().filter(|c| c.is_some()).count();
            if found * 2 < t.columns.len() {
                continue;
            }
            let better = match &best {
                None => true,
                Some((score, _)) => found * 1000 / t.columns.len() > *score,
            };
            if better {
                let first_col = cols.iter().flatten().copied().min().unwrap_or(0);
                let last_col = cols.iter().flatten().copied().max().unwrap_or(0);
                // The header's top: the first row of the window holding a label of this template.
                let top = (top..=bottom)
                    .find(|&r| {
                        (first_col..=last_col)
                            .any(|c| labels.get(r, c).is_some_and(|l| norm.knows(l)))
                    })
                    .unwrap_or(top);
                let unknown = unmatched
                    .into_iter()
                    .filter(|&c| c >= first_col)
                    .filter(|&c| {
                        !paths[c as usize]
                            .last()
                            .is_some_and(|l| OWN_LABELS.contains(&l.as_str()))
                    })
                    .filter_map(|c| {
                        let written = (top..=bottom).rev().find_map(|r| match sheet.get(r, c) {
                            Value::Text(s) if !s.trim().is_empty() => Some(s.clone()),
                            _ => None,
                        })?;
                        Some((c, written))
                    })
                    .collect();
                best = Some((
                    found * 1000 / t.columns.len(),
                    HeaderMatch {
                        template: id,
                        top,
                        bottom,
                        first_col,
                        cols,
                        unknown,
                    },
                ));
            }
        }
    }
    best.map(|(_, m)| m)
}
