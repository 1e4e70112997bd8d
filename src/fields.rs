//! The fields above a header (`单位(盖章):`, `填报人:`, `填报时间:`, SPEC 3.2-3.4): each field's value
//! is the text after its label in the same cell, or else the next non-blank cell to its right.

use crate::grid::{CellRef, Sheet, Value};
use crate::template::{Field, FieldRole};
use crate::values::{fold, folded, normalize_label, normalized};

/// One field found above the header.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldValue {
    /// The label as the template names it.
    pub label: &'static str,
    /// What the line holds.
    pub role: FieldRole,
    /// The cell holding the label.
    pub label_cell: CellRef,
    /// The cell holding the value (the label's own cell when inline).
    pub cell: CellRef,
    /// The value's text, folded and trimmed; empty when nothing is filled in.
    pub text: String,
    /// The value cell's raw value when it is a separate cell (dates may be date cells).
    pub raw: Option<Value>,
}

impl FieldValue {
    /// The value as a cell: the separate cell's own value (a date cell stays a date), else the
    /// inline text.
    pub fn value(&self) -> Value {
        self.raw
            .clone()
            .unwrap_or_else(|| Value::Text(self.text.clone()))
    }
}

/// Finds each of `fields` in the rows above `header_top`.
pub fn read(sheet: &Sheet, fields: &'static [Field], header_top: u32) -> Vec<FieldValue> {
    let norm_labels: Vec<String> = fields.iter().map(|f| normalize_label(f.label)).collect();
    let mut out = Vec::new();
    for (at, cell) in sheet.iter() {
        if at.row >= header_top {
            break;
        }
        let Value::Text(s) = &cell.value else {
            continue;
        };
        let folded = folded(s);
        let compact = normalized(s);
        for (li, nl) in norm_labels.iter().enumerate() {
            if out.iter().any(|f: &FieldValue| f.label == fields[li].label) {
                continue;
            }
            // The label may stand anywhere in the cell (several fields can share one cell).
            let Some(pos) = compact.find(nl.as_str()) else {
                continue;
            };
            let rest_compact = &compact[pos + nl.len()..];
            // Cut at the next field label in the same cell.
            let end = norm_labels
                .iter()
                .filter_map(|other| rest_compact.find(other.as_str()))
                .min()
                .unwrap_or(rest_compact.len());
            let inline_compact = rest_compact[..end]
                .trim_start_matches([':', '：'])
                .to_string();
            let inline = inline_text(&folded, &[fields[li].label], &norm_labels);
            let (cell_at, text, raw) = if !inline_compact.is_empty() {
                (*at, inline, None)
            } else {
                match next_right(sheet, *at, &norm_labels) {
                    Some((c, v)) => (c, fold(&v.display()), Some(v.clone())),
                    None => (*at, String::new(), None),
                }
            };
            out.push(FieldValue {
                label: fields[li].label,
                role: fields[li].role,
                label_cell: *at,
                cell: cell_at,
                text,
                raw,
            });
        }
    }
    out
}

/// The text after `label` in `folded` (spaces kept, so `2024 年 月 日` stays recognisable), up to
/// the next label.
fn inline_text(folded: &str, label: &[&str], all: &[String]) -> String {
    let label_n = normalize_label(label[0]);
    // Walk the folded text, matching the label while skipping whitespace.
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    let target: Vec<char> = label_n.chars().collect();
    for start in 0..chars.len() {
        let mut ti = 0;
        let mut i = start;
        while i < chars.len() && ti < target.len() {
            if chars[i].1.is_whitespace() {
                i += 1;
                continue;
            }
            if chars[i].1 != target[ti] {
                break;
            }
            ti += 1;
            i += 1;
        }
        if ti == target.len() {
            let rest = &folded[chars.get(i).map_or(folded.len(), |c| c.0)..];
            let rest = rest.trim_start().trim_start_matches([':', '：']).trim();
            // Cut at the next label.
            let mut cut = rest.len();
            for other in all {
                if let Some(p) = find_spaced(rest, other) {
                    cut = cut.min(p);
                }
            }
            return rest[..cut].trim().to_string();
        }
    }
    String::new()
}

/// Byte position of `needle` (no spaces) in `hay`, allowing whitespace inside the match.
fn find_spaced(hay: &str, needle: &str) -> Option<usize> {
    let target: Vec<char> = needle.chars().collect();
    for (start, _) in hay.char_indices() {
        let mut ti = 0;
        let mut it = hay[start..].chars();
        for c in it.by_ref() {
            if ti == target.len() {
                break;
            }
            if c.is_whitespace() {
                continue;
            }
            if c != target[ti] {
                break;
            }
            ti += 1;
        }
        if ti == target.len() {
            return Some(start);
        }
    }
    None
}

fn next_right<'a>(
    sheet: &'a Sheet,
    at: CellRef,
    labels: &[String],
) -> Option<(CellRef, &'a Value)> {
    for (c_at, cell) in sheet.row_cells(at.row) {
        if c_at.col <= at.col || cell.value.is_empty() {
            continue;
        }
        if let Value::Text(s) = &cell.value {
            let n = normalized(s);
            if labels.iter().any(|l| n.starts_with(l.as_str())) {
                return None;
            }
        }
        return Some((*c_at, &cell.value));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_right_hand_values() {
        let mut s = Sheet::new("附件3");
        s.set_value(2, 0, Value::Text("单位(盖章):泽州县住建局".into()));
        s.set_value(3, 0, Value::Text("填报时间:".into()));
        s.set_value(3, 2, Value::Text(" 2024 年 10 月 11 日".into()));
        let f = read(&s, crate::template::a3::TEMPLATE.fields, 4);
        assert_eq!(f[0].text, "泽州县住建局");
        assert_eq!(f[0].cell, CellRef::new(2, 0));
        assert_eq!(f[1].text, "2024 年 10 月 11 日");
        assert_eq!(f[1].cell, CellRef::new(3, 2));
    }

    #[test]
    fn fields_sharing_a_cell_and_full_width_colons() {
        let mut s = Sheet::new("附件4");
        s.set_value(
            2,
            0,
            Value::Text("单位（盖章）：高平市住建局    填报人：李娜".into()),
        );
        s.set_value(3, 0, Value::Text("填报时间：2024 年 月 日".into()));
        let f = read(&s, crate::template::BLOCK_FIELDS, 5);
        let get = |l: &str| f.iter().find(|x| x.label == l).unwrap().text.clone();
        assert_eq!(get("单位（盖章）"), "高平市住建局");
        assert_eq!(get("填报人"), "李娜");
        assert_eq!(get("填报时间"), "2024 年 月 日");
    }
}
