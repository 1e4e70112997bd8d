//! Finding a template's header in a sheet (SPEC 5): scan the first rows for the row that holds
//! most of a template's leaf labels, build each column's label path from the rows above it, and
//! map template columns to sheet columns by leaf plus as many ancestors as make it unique.

use crate::grid::{Sheet, Value};
use crate::template::{Template, TemplateId};
use crate::values::{self, normalize_label};

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

/// A header label, normalised (`normalize_label`) and interned: one of the templates' own labels
/// (`Vocab`), or any other text. Which other text does not matter: a label no template knows
/// never matches a column, is no ancestor and contradicts nothing, so every such label is the
/// same `OTHER`. Paths of labels are then short arrays of integers, compared without hashing or
/// cloning a string.
type Label = u16;
const OTHER: Label = Label::MAX;

/// Every label of every template (paths and variants) and pgcheck's own, normalised, numbered
/// once per process; and the first characters they start with.
struct Vocab {
    ids: std::collections::HashMap<String, Label>,
    /// The first character of every label, sorted, and the first and last character and the
    /// length in characters of every label, sorted: a cell whose text has another shape is
    /// `OTHER` without being normalised (most cells of the first rows are data, not labels).
    firsts: Vec<char>,
    shapes: Vec<Shape>,
}

/// First character, last character, length in characters.
type Shape = (char, char, usize);

/// `normalize_label` drops whitespace and zero-width characters and folds full-width ASCII one
/// character for one: a label's characters are the kept characters of the text, folded.
fn kept(c: &char) -> bool {
    !c.is_whitespace() && !values::is_zero_width(*c)
}

impl Vocab {
    fn get() -> &'static Vocab {
        static VOCAB: std::sync::OnceLock<Vocab> = std::sync::OnceLock::new();
        VOCAB.get_or_init(|| {
            let mut ids = std::collections::HashMap::new();
            let all = TemplateId::ALL
                .iter()
                .flat_map(|id| id.template().columns)
                .flat_map(|c| c.path.iter().chain(c.variants))
                .chain(OWN_LABELS);
            for l in all {
                let next = ids.len() as Label;
                ids.entry(normalize_label(l)).or_insert(next);
            }
            assert!(ids.len() < OTHER as usize, "too many template labels");
            let mut shapes: Vec<Shape> = ids
                .keys()
                .filter_map(|l| Some((l.chars().next()?, l.chars().last()?, l.chars().count())))
                .collect();
            shapes.sort_unstable();
            shapes.dedup();
            let mut firsts: Vec<char> = shapes.iter().map(|s| s.0).collect();
            firsts.dedup();
            Vocab {
                ids,
                firsts,
                shapes,
            }
        })
    }

    fn id(&self, normalized: &str) -> Label {
        self.ids.get(normalized).copied().unwrap_or(OTHER)
    }

    /// The label of a cell value, as `normalize_label` would give it (`None` for a non-text or
    /// an empty one), normalising only a text shaped like some template label.
    fn label(&self, v: &Value) -> Option<Label> {
        let Value::Text(s) = v else { return None };
        // One pass over the characters, stopping at the first whose shape no label has.
        let mut shape: Option<Shape> = None;
        // True while the text is its own label (nothing dropped or folded).
        let mut plain = true;
        for c in s.chars() {
            if !kept(&c) {
                plain = false;
                continue;
            }
            let f = values::half_width(c);
            plain &= f == c;
            match &mut shape {
                None => {
                    if self.firsts.binary_search(&f).is_err() {
                        return Some(OTHER);
                    }
                    shape = Some((f, f, 1));
                }
                Some((_, last, len)) => {
                    *last = f;
                    *len += 1;
                }
            }
        }
        if self.shapes.binary_search(&shape?).is_err() {
            return Some(OTHER);
        }
        Some(if plain {
            self.id(s)
        } else {
            self.id(&normalize_label(s))
        })
    }
}

/// A template's labels as `Vocab` numbers, computed once per process.
struct Norm {
    paths: Vec<Vec<Label>>,
    /// Every leaf label and variant, for the per-row quick filter (indexed by label).
    leaves: Vec<bool>,
    /// Every label anywhere in a path or among the variants (indexed by label).
    labels: Vec<bool>,
    /// Every label above some column's leaf in its path: a group (indexed by label).
    groups: Vec<bool>,
    /// The columns whose leaf or a variant is the label (indexed by label), in template order.
    by_leaf: Vec<Vec<usize>>,
}

impl Norm {
    fn of(t: &Template, vocab: &Vocab) -> Norm {
        let ids = |labels: &[&str]| -> Vec<Label> {
            labels
                .iter()
                .map(|l| vocab.id(&normalize_label(l)))
                .collect()
        };
        let paths: Vec<Vec<Label>> = t.columns.iter().map(|c| ids(c.path)).collect();
        let variants: Vec<Vec<Label>> = t.columns.iter().map(|c| ids(c.variants)).collect();
        let mut leaves = vec![false; vocab.ids.len()];
        let mut labels = vec![false; vocab.ids.len()];
        let mut groups = vec![false; vocab.ids.len()];
        let mut by_leaf = vec![Vec::new(); vocab.ids.len()];
        for (i, (p, v)) in paths.iter().zip(&variants).enumerate() {
            for &l in p.last().into_iter().chain(v) {
                leaves[l as usize] = true;
                if by_leaf[l as usize].last() != Some(&i) {
                    by_leaf[l as usize].push(i);
                }
            }
            for &l in p.iter().chain(v) {
                labels[l as usize] = true;
            }
            for &l in p.split_last().map_or(&[][..], |(_, above)| above) {
                groups[l as usize] = true;
            }
        }
        Norm {
            paths,
            leaves,
            labels,
            groups,
            by_leaf,
        }
    }

    /// The labels of template `id`, computed once per process.
    fn get(id: TemplateId) -> &'static Norm {
        static NORMS: std::sync::OnceLock<Vec<Norm>> = std::sync::OnceLock::new();
        let all = NORMS.get_or_init(|| {
            let vocab = Vocab::get();
            TemplateId::ALL
                .iter()
                .map(|id| Norm::of(id.template(), vocab))
                .collect()
        });
        &all[TemplateId::ALL
            .iter()
            .position(|x| *x == id)
            .unwrap_or_default()]
    }

    /// The template columns whose leaf or a variant is `leaf`, in template order.
    fn with_leaf(&self, leaf: Label) -> &[usize] {
        self.by_leaf.get(leaf as usize).map_or(&[], Vec::as_slice)
    }

    fn is_leaf(&self, label: Label) -> bool {
        self.leaves.get(label as usize).copied().unwrap_or(false)
    }

    /// True when `label` is anywhere in a column's path or variants.
    fn knows(&self, label: Label) -> bool {
        self.labels.get(label as usize).copied().unwrap_or(false)
    }

    /// True when `label` is a group (non-leaf) label of some template column.
    fn is_group(&self, label: Label) -> bool {
        self.groups.get(label as usize).copied().unwrap_or(false)
    }
}

/// The labels of the first `SCAN_ROWS` rows (merged cells filled), read once per sheet: every
/// template and every candidate header row reads them from here.
struct Labels {
    width: usize,
    cells: Vec<Option<Label>>,
}

impl Labels {
    /// Reads the stored cells of the window in order, then the cells merged regions cover (each
    /// read through `Sheet::get`, as a reader sees it); the window's empty cells stay `None`. A
    /// sheet whose merged regions cover more than the window (overlapping, hostile) is read cell
    /// by cell instead.
    fn of(sheet: &Sheet, max_col: u32) -> Labels {
        let vocab = Vocab::get();
        let width = max_col as usize + 1;
        let mut cells = vec![None; width * SCAN_ROWS as usize];
        let at = |r: u32, c: u32| r as usize * width + c as usize;
        let covered: Vec<(u32, u32, u32, u32)> = sheet
            .merges()
            .iter()
            .filter(|m| m.first.row < SCAN_ROWS && m.first.col <= max_col)
            .map(|m| {
                let last_row = m.last.row.min(SCAN_ROWS - 1);
                (m.first.row, last_row, m.first.col, m.last.col.min(max_col))
            })
            .collect();
        let area: usize = covered
            .iter()
            .map(|&(r0, r1, c0, c1)| (r1 - r0 + 1) as usize * (c1 - c0 + 1) as usize)
            .sum();
        if area > cells.len() {
            for r in 0..SCAN_ROWS {
                for c in 0..=max_col {
                    cells[at(r, c)] = vocab.label(sheet.get(r, c));
                }
            }
            return Labels { width, cells };
        }
        for (p, cell) in sheet.iter().take_while(|(p, _)| p.row < SCAN_ROWS) {
            if p.col <= max_col && sheet.merge_at(p.row, p.col).is_none() {
                cells[at(p.row, p.col)] = vocab.label(&cell.value);
            }
        }
        // The cells of one region read one value: its label is made once.
        let mut last: Option<(*const Value, Option<Label>)> = None;
        for (r0, r1, c0, c1) in covered {
            for r in r0..=r1 {
                for c in c0..=c1 {
                    let v = sheet.get(r, c);
                    let label = match last {
                        Some((p, l)) if std::ptr::eq(p, v) => l,
                        _ => vocab.label(v),
                    };
                    last = Some((v, label));
                    cells[at(r, c)] = label;
                }
            }
        }
        Labels { width, cells }
    }

    /// The label at (r, c); `r < SCAN_ROWS`, `c <= max_col`.
    fn get(&self, r: u32, c: u32) -> Option<Label> {
        self.cells[r as usize * self.width + c as usize]
    }

    /// The labels of row `r`.
    fn row(&self, r: u32) -> impl Iterator<Item = Label> + '_ {
        let from = r as usize * self.width;
        self.cells[from..from + self.width]
            .iter()
            .flatten()
            .copied()
    }
}

/// The label path of each sheet column for a header from `top` to `bottom`: the labels read
/// top-down (merged cells filled), consecutive repeats collapsed. Into `paths`, reused.
fn column_paths(labels: &Labels, top: u32, bottom: u32, paths: &mut Vec<Vec<Label>>) {
    paths.resize_with(labels.width, Vec::new);
    for (c, path) in paths.iter_mut().enumerate() {
        path.clear();
        for r in top..=bottom {
            if let Some(l) = labels.get(r, c as u32) {
                if path.last() != Some(&l) {
                    path.push(l);
                }
            }
        }
    }
}

/// Maps template columns to sheet columns given each sheet column's path.
fn assign(norm: &Norm, paths: &[Vec<Label>]) -> (Vec<Option<u32>>, Vec<u32>) {
    let n = norm.paths.len();
    let mut cols: Vec<Option<u32>> = vec![None; n];
    let mut unmatched = Vec::new();
    for (c, path) in paths.iter().enumerate() {
        let Some(&leaf) = path.last() else { continue };
        // Candidates by leaf; the best is the one with most ancestors present in the path.
        let mut best: Option<(usize, usize)> = None; // (score, template index)
        for &i in norm.with_leaf(leaf) {
            if cols[i].is_some() {
                continue;
            }
            let tp = &norm.paths[i];
            let ancestors = &tp[..tp.len() - 1];
            let score = ancestors.iter().filter(|a| path.contains(a)).count();
            // An ancestor in the sheet path that contradicts the template path disqualifies
            // (户数 under 欠发过渡安置费情况 is not 户数 under 已发放过渡安置费): a group label of
            // the template that is not in this column's path, so another column's group.
            let contradicts = path[..path.len() - 1]
                .iter()
                .any(|&p| norm.is_group(p) && !tp.contains(&p));
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
    let own: Vec<Label> = OWN_LABELS
        .iter()
        .map(|l| Vocab::get().id(&normalize_label(l)))
        .collect();
    let mut best: Option<(usize, HeaderMatch)> = None;
    let mut paths = Vec::new();
    for id in TemplateId::ALL {
        let t = id.template();
        let norm = Norm::get(id);
        let depth = t.header_depth() as u32;
        for bottom in 0..SCAN_ROWS {
            // Quick filter: the row itself must hold some leaf label of the template.
            if !labels.row(bottom).any(|l| norm.is_leaf(l)) {
                continue;
            }
            let top = bottom.saturating_sub(depth - 1);
            column_paths(&labels, top, bottom, &mut paths);
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
                    .filter(|&c| !paths[c as usize].last().is_some_and(|l| own.contains(l)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// The label as the header code read it before labels were interned: every text normalised,
    /// then looked up.
    fn normalised_label(v: &Value) -> Option<Label> {
        match v {
            Value::Text(s) => {
                let n = normalize_label(s);
                (!n.is_empty()).then(|| Vocab::get().id(&n))
            }
            _ => None,
        }
    }

    #[test]
    fn a_label_is_read_as_normalising_would_read_it() {
        let vocab = Vocab::get();
        for s in [
            "序号",
            " 序　号 ",
            "\u{200B}项目名称",
            "（万元）",
            "(万元)",
            "\u{FEFF}\u{3000}",
            "   ",
            "凤凰小区一期",
            "已交付使用户数",
            "填报单位",
            "Ｘ",
        ] {
            let v = Value::Text(s.to_string());
            assert_eq!(vocab.label(&v), normalised_label(&v), "{s:?}");
        }
        assert_eq!(vocab.label(&Value::Number(1.0)), None);
    }

    /// Every cell of the first rows of every sheet the project ships, merged regions filled: the
    /// window read cell by cell through `Sheet::get` and normalised gives the same labels.
    #[test]
    fn the_label_window_is_what_reading_every_cell_gives() {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("fixtures"), &mut files);
        let mut sheets = 0;
        for f in files {
            let Ok(wb) = crate::read::open(&f) else {
                continue;
            };
            for sheet in &wb.sheets {
                let Some(max_col) = sheet
                    .iter()
                    .take_while(|(at, _)| at.row < SCAN_ROWS)
                    .map(|(at, _)| at.col)
                    .max()
                else {
                    continue;
                };
                let max_col = max_col.min(MAX_HEADER_COLS);
                let labels = Labels::of(sheet, max_col);
                for r in 0..SCAN_ROWS {
                    for c in 0..=max_col {
                        assert_eq!(
                            labels.get(r, c),
                            normalised_label(sheet.get(r, c)),
                            "{} {} r{r} c{c}",
                            f.display(),
                            sheet.name
                        );
                    }
                }
                sheets += 1;
            }
        }
        assert!(sheets > 200, "{sheets} sheets");
    }
}
