//! The text of a shared formula in an `.xls`. LibreOffice (and Excel) store a formula filled down
//! a column (`=H7-I7`, `=H8-I8` …) once, in a SHRFMLA record with references relative to each
//! cell, and give each cell only a pointer to it; calamine 0.38 gives those cells no formula text.
//! The simple formulas clerks pre-fill are rebuilt here (cell and area references, numbers,
//! `+ - * /`, parentheses, SUM, ROW and a few other functions); any other formula stays unspelt.
//! Token layouts: [MS-XLS] 2.5.198 (BIFF8).

/// A SHRFMLA record: the cells it covers and its formula tokens (relative references).
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    first_row: u32,
    last_row: u32,
    first_col: u32,
    last_col: u32,
    tokens: Vec<u8>,
}

impl Shared {
    /// Reads a SHRFMLA body: RefU (rows u16 × 2, columns u8 × 2), a reserved byte, the use
    /// count, then `cce` and the tokens.
    pub fn parse(body: &[u8]) -> Option<Shared> {
        let u16_at = |at: usize| Some(u16::from_le_bytes([*body.get(at)?, *body.get(at + 1)?]));
        let cce = u16_at(8)? as usize;
        Some(Shared {
            first_row: u32::from(u16_at(0)?),
            last_row: u32::from(u16_at(2)?),
            first_col: u32::from(*body.get(4)?),
            last_col: u32::from(*body.get(5)?),
            tokens: body.get(10..10 + cce)?.to_vec(),
        })
    }

    /// True when the shared formula's range starts at (`row`, `col`) (what a cell's PtgExp
    /// names).
    pub fn starts_at(&self, row: u32, col: u32) -> bool {
        (self.first_row, self.first_col) == (row, col)
    }

    /// True when (`row`, `col`) is in the range the record covers.
    pub fn covers(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }

    /// The formula as the cell at (`row`, `col`) reads it, without `=` (as calamine gives
    /// formulas); `None` for a token this reader does not know.
    pub fn text_at(&self, row: u32, col: u32) -> Option<String> {
        formula_text(&self.tokens, (row, col))
    }
}

/// Function names by their BIFF index, for the functions pre-filled templates use.
fn function_name(index: u16) -> Option<&'static str> {
    Some(match index {
        0 => "COUNT",
        4 => "SUM",
        5 => "AVERAGE",
        6 => "MIN",
        7 => "MAX",
        8 => "ROW",
        9 => "COLUMN",
        _ => return None,
    })
}

/// Column letters of a 0-based column (`0` → `A`, `26` → `AA`).
fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// One reference of a token: row and column fields as stored, and whether the reference is
/// relative to the formula's cell (PtgRefN, PtgAreaN) or absolute (PtgRef, PtgArea).
fn reference(row: u16, col: u16, relative_to: Option<(u32, u32)>) -> Option<String> {
    let row_rel = col & 0x8000 != 0;
    let col_rel = col & 0x4000 != 0;
    let (r, c) = match relative_to {
        // In a shared formula a relative row is a signed offset, a relative column a signed
        // offset in the low byte.
        Some((base_r, base_c)) => (
            if row_rel {
                base_r.checked_add_signed(i32::from(row as i16))?
            } else {
                u32::from(row)
            },
            if col_rel {
                base_c.checked_add_signed(i32::from((col & 0xFF) as u8 as i8))?
            } else {
                u32::from(col & 0x3FFF)
            },
        ),
        None => (u32::from(row), u32::from(col & 0x3FFF)),
    };
    let dollar = |relative: bool| if relative { "" } else { "$" };
    Some(format!(
        "{}{}{}{}",
        dollar(col_rel),
        column_letters(c),
        dollar(row_rel),
        r + 1
    ))
}

/// Rebuilds a formula from its tokens (reverse Polish) for the cell `at`.
fn formula_text(tokens: &[u8], at: (u32, u32)) -> Option<String> {
    let u16_at = |i: usize| Some(u16::from_le_bytes([*tokens.get(i)?, *tokens.get(i + 1)?]));
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let ptg = tokens[i];
        i += 1;
        match ptg {
            // Binary operators.
            0x03..=0x06 => {
                let b = stack.pop()?;
                let a = stack.pop()?;
                let op = ["+", "-", "*", "/"][usize::from(ptg - 0x03)];
                stack.push(format!("{a}{op}{b}"));
            }
            // Unary plus and minus.
            0x12 | 0x13 => {
                let a = stack.pop()?;
                stack.push(format!("{}{a}", if ptg == 0x12 { "+" } else { "-" }));
            }
            // Parentheses.
            0x15 => {
                let a = stack.pop()?;
                stack.push(format!("({a})"));
            }
            // PtgAttr: SUM of one argument, or a space; anything else (IF, CHOOSE) is not read.
            0x19 => {
                let flags = *tokens.get(i)?;
                i += 3;
                if flags & 0x10 != 0 {
                    let a = stack.pop()?;
                    stack.push(format!("SUM({a})"));
                } else if flags & !0x41 != 0 {
                    return None;
                }
            }
            // Integer, number.
            0x1E => {
                stack.push(u16_at(i)?.to_string());
                i += 2;
            }
            0x1F => {
                let bytes: [u8; 8] = tokens.get(i..i + 8)?.try_into().ok()?;
                stack.push(crate::grid::format_number(f64::from_le_bytes(bytes)));
                i += 8;
            }
            // A function of fixed arity: only those without arguments here (ROW(), COLUMN()).
            0x21 | 0x41 | 0x61 => {
                let name = function_name(u16_at(i)?)?;
                if !matches!(name, "ROW" | "COLUMN") {
                    return None;
                }
                stack.push(format!("{name}()"));
                i += 2;
            }
            // A function with an argument count.
            0x22 | 0x42 | 0x62 => {
                let n = usize::from(*tokens.get(i)?);
                let name = function_name(u16_at(i + 1)? & 0x7FFF)?;
                let args = stack.split_off(stack.len().checked_sub(n)?);
                stack.push(format!("{name}({})", args.join(",")));
                i += 3;
            }
            // A cell: absolute (PtgRef) or relative to the formula's cell (PtgRefN).
            0x24 | 0x44 | 0x64 | 0x2C | 0x4C | 0x6C => {
                let relative = matches!(ptg, 0x2C | 0x4C | 0x6C).then_some(at);
                stack.push(reference(u16_at(i)?, u16_at(i + 2)?, relative)?);
                i += 4;
            }
            // An area: absolute (PtgArea) or relative (PtgAreaN).
            0x25 | 0x45 | 0x65 | 0x2D | 0x4D | 0x6D => {
                let relative = matches!(ptg, 0x2D | 0x4D | 0x6D).then_some(at);
                let first = reference(u16_at(i)?, u16_at(i + 4)?, relative)?;
                let last = reference(u16_at(i + 2)?, u16_at(i + 6)?, relative)?;
                stack.push(format!("{first}:{last}"));
                i += 8;
            }
            _ => return None,
        }
    }
    let text = stack.pop()?;
    stack.is_empty().then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PtgRefN with both parts relative: a row offset and a column offset (low byte, signed).
    fn ref_n(row_offset: i16, col_offset: i8) -> Vec<u8> {
        let col = 0xC000 | u16::from(col_offset as u8);
        let mut t = vec![0x4C];
        t.extend((row_offset as u16).to_le_bytes());
        t.extend(col.to_le_bytes());
        t
    }

    #[test]
    fn a_difference_filled_down_reads_at_each_cell() {
        // K7 = H7-I7 (K is column 10; H and I are 3 and 2 to its left).
        let tokens = [ref_n(0, -3), ref_n(0, -2), vec![0x04]].concat();
        assert_eq!(formula_text(&tokens, (6, 10)).as_deref(), Some("H7-I7"));
        assert_eq!(formula_text(&tokens, (11, 10)).as_deref(), Some("H12-I12"));
    }

    #[test]
    fn row_minus_a_number_and_a_sum_of_an_area() {
        let row = [vec![0x41, 8, 0], vec![0x1E, 6, 0], vec![0x04]].concat();
        assert_eq!(formula_text(&row, (6, 0)).as_deref(), Some("ROW()-6"));
        // SUM(G7:G16) written in G6: rows +1..+10, same column; PtgAttr's SUM of one argument.
        let mut area = vec![0x2D];
        for v in [1u16, 10, 0xC000, 0xC000] {
            area.extend(v.to_le_bytes());
        }
        let sum = [area, vec![0x19, 0x10, 0, 0]].concat();
        assert_eq!(formula_text(&sum, (5, 6)).as_deref(), Some("SUM(G7:G16)"));
    }

    #[test]
    fn an_unknown_token_or_a_short_formula_is_not_read() {
        // PtgStr (a text constant) is not read; neither is a reference cut short.
        assert_eq!(formula_text(&[0x17, 1, 0, b'a'], (0, 0)), None);
        assert_eq!(formula_text(&[0x4C, 0], (0, 0)), None);
        // A reference before A1.
        assert_eq!(formula_text(&ref_n(-1, 0), (0, 0)), None);
        assert_eq!(column_letters(27), "AB");
    }
}
