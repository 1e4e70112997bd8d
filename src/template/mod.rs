//! The four report templates (Attachments 2-5) as static tables: each column's key, header path,
//! kind, and whether it is required or summed. Header detection, reading, the blank templates and
//! the consolidated workbook are all driven by these tables.

/// Builds a template's column table and its typed keys from one list: `Col` (one variant per
/// column, in column order, so `Col::X as usize` is the column's index) and `COLUMNS`. Code names
/// a column by its variant (`a2::Col::Households`); a mistyped key does not compile.
macro_rules! columns {
    ($tid:ident; $( $(#[$m:meta])* $v:ident => $ctor:ident($($arg:expr),* $(,)?) $(.$method:ident())*, )*) => {
        /// A column of this template, by what it means (the header label beside each).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Col {
            $($(#[$m])* $v,)*
        }

        impl Col {
            /// Every column, in template order.
            pub const ALL: &'static [Col] = &[$(Col::$v,)*];
        }

        impl From<Col> for super::Key {
            fn from(c: Col) -> super::Key {
                super::Key::$tid(c)
            }
        }

        pub const COLUMNS: &[super::Column] = &[
            $($ctor(super::Key::$tid(Col::$v), $($arg),*) $(.$method())*,)*
        ];
    };
}

pub mod a2;
pub mod a3;
pub mod a4;
pub mod a5;

use serde::Serialize;

/// The placeholder the blank templates show where a unit writes its own text (`1. × × ×`).
pub const PLACEHOLDER: &str = "× × ×";

/// The blank date of a `填报时间` field in the templates (`填报时间: 2024 年 月 日`).
pub const DATE_PLACEHOLDER: &str = "2024 年 月 日";

/// The label of the leading column the city's workbook adds to 附件3-5 (the unit of each row);
/// header detection knows it as pgcheck's own, not an unknown column.
pub const LEAD_LABEL: &str = "填报单位";

/// What a line above a block template's header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// The submitting unit (`单位(盖章)`).
    Unit,
    /// Who filled the sheet in (`填报人`).
    Filler,
    /// When (`填报时间`).
    Date,
}

/// A line above the header: its label as the template writes it, and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub role: FieldRole,
}

/// The lines above the header of 附件4 and 附件5 (full-width brackets and colons).
pub const BLOCK_FIELDS: &[Field] = &[
    Field {
        label: "单位（盖章）",
        role: FieldRole::Unit,
    },
    Field {
        label: "填报人",
        role: FieldRole::Filler,
    },
    Field {
        label: "填报时间",
        role: FieldRole::Date,
    },
];

/// Which attachment a sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TemplateId {
    A2,
    A3,
    A4,
    A5,
}

impl TemplateId {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateId::A2 => "A2",
            TemplateId::A3 => "A3",
            TemplateId::A4 => "A4",
            TemplateId::A5 => "A5",
        }
    }

    pub fn template(self) -> &'static Template {
        match self {
            TemplateId::A2 => &a2::TEMPLATE,
            TemplateId::A3 => &a3::TEMPLATE,
            TemplateId::A4 => &a4::TEMPLATE,
            TemplateId::A5 => &a5::TEMPLATE,
        }
    }

    pub const ALL: [TemplateId; 4] = [
        TemplateId::A2,
        TemplateId::A3,
        TemplateId::A4,
        TemplateId::A5,
    ];
}

/// A column of one of the templates: `a2::Col::Households.into()`. What `Template::index`,
/// `HeaderMatch::col` and `Table::field` take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    A2(a2::Col),
    A3(a3::Col),
    A4(a4::Col),
    A5(a5::Col),
}

impl Key {
    /// The template the column belongs to.
    pub fn template(self) -> TemplateId {
        match self {
            Key::A2(_) => TemplateId::A2,
            Key::A3(_) => TemplateId::A3,
            Key::A4(_) => TemplateId::A4,
            Key::A5(_) => TemplateId::A5,
        }
    }

    /// The column's index in its template (column A is 0).
    pub fn index(self) -> usize {
        match self {
            Key::A2(c) => c as usize,
            Key::A3(c) => c as usize,
            Key::A4(c) => c as usize,
            Key::A5(c) => c as usize,
        }
    }
}

/// How a column's values are read and checked (SPEC 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    Text,
    /// A unit name (县区).
    Unit,
    Year,
    Month,
    Date,
    /// An agreement date (A2 签订时间, 约定交付时间; A3 协议签订时间, 协议明确回迁时间): a date,
    /// or a year and month where the signing spans weeks (SPEC 6); compared by month then.
    AgreementDate,
    /// A whole number ≥ 0.
    Count,
    /// A number ≥ 0 (money).
    Amount,
    /// 工程形象进度, one of the eleven stages.
    Stage,
    /// 是 / 否.
    YesNo,
    /// 信息来源.
    Source,
}

/// One column of a template.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The column's typed key (its template and place).
    pub key: Key,
    /// Header labels from the top group down to the leaf, as the canonical template shows them.
    pub path: &'static [&'static str],
    /// Other spellings of the leaf label seen in the wild (compared after normalisation).
    pub variants: &'static [&'static str],
    pub kind: Kind,
    pub required: bool,
    pub summed: bool,
    /// Column width in the written template, in Excel character units.
    pub width: f64,
    /// Merged down over a unit's block (A4's 实事名称 and 件数; every A5 column but
    /// 典型问题和整改情况). Row templates (A2, A3) have none.
    pub merged_down: bool,
    /// Quoted by a check across files (X01, X02, A2-10 across files), so a slim grid keeps its
    /// cells (`validate::Options::slim`).
    pub quoted_across_files: bool,
    /// The leaf header cell shows a placeholder for the value, not a label (计划交付时间's
    /// `202X.XX`): messages name the column by the label above it.
    pub placeholder_leaf: bool,
}

impl Column {
    /// 序号 and 县区: what a clerk fills in ahead of the data (numbering the template's empty rows,
    /// copying the unit down). A row with nothing else typed is blank (SPEC 3.1).
    pub fn labels_the_row(&self) -> bool {
        matches!(
            self.key,
            Key::A2(a2::Col::Seq | a2::Col::Unit) | Key::A3(a3::Col::Seq)
        )
    }

    /// The same column, quoted by a check across files.
    pub(crate) const fn quoted_across_files(mut self) -> Self {
        self.quoted_across_files = true;
        self
    }

    /// The same column, its leaf header cell a placeholder (`202X.XX`).
    pub(crate) const fn placeholder_leaf(mut self) -> Self {
        self.placeholder_leaf = true;
        self
    }

    /// The header path that names the column: the path without a placeholder leaf.
    pub fn label_path(&self) -> &'static [&'static str] {
        if self.placeholder_leaf {
            &self.path[..self.path.len() - 1]
        } else {
            self.path
        }
    }

    /// The same column, merged down over a unit's block.
    pub(crate) const fn merged_down(mut self) -> Self {
        self.merged_down = true;
        self
    }

    /// The leaf label (the deepest header cell).
    pub fn leaf(&self) -> &'static str {
        self.path[self.path.len() - 1]
    }

    /// The label shown in messages: the leaf, with its parent where the leaf alone is ambiguous.
    pub fn label(&self) -> String {
        self.path.join("/")
    }
}

/// A template: its title and columns in canonical order (column A first).
#[derive(Debug)]
pub struct Template {
    pub id: TemplateId,
    /// `附件2`
    pub attachment: &'static str,
    pub title: &'static str,
    pub columns: &'static [Column],
    /// Footnote lines printed under the table (from the seed).
    pub footnotes: &'static [&'static str],
    /// The lines above the header (`单位(盖章)` …), in order.
    pub fields: &'static [Field],
}

impl Template {
    /// Number of header rows = the longest header path.
    pub fn header_depth(&self) -> usize {
        self.columns.iter().map(|c| c.path.len()).max().unwrap_or(1)
    }

    /// The column of `key`, with its index; panics when `key` is another template's (a
    /// programming error).
    pub fn column(&self, key: impl Into<Key>) -> (usize, &'static Column) {
        let i = self.index(key);
        (i, &self.columns[i])
    }

    /// The label shown to a person (a diagnostic's `field`, SPEC 4): the column's label with as
    /// much of its header path as makes it unique: `计划交付时间` (never the placeholder
    /// `202X.XX`), `逾期未交付使用/套数` (a bare `套数` could be any of the 套数 columns).
    pub fn display_label(&self, index: usize) -> String {
        // Made once per process: a finding names its column, and there can be thousands.
        static LABELS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
        let labels = LABELS.get_or_init(|| {
            let all = TemplateId::ALL.iter().map(|id| id.template());
            all.map(|t| (0..t.columns.len()).map(|i| t.unique_label(i)).collect())
                .collect()
        });
        debug_assert!(
            std::ptr::eq(self, self.id.template()),
            "a template of its own"
        );
        let of_this = TemplateId::ALL.iter().position(|id| *id == self.id);
        labels[of_this.unwrap_or_default()][index].clone()
    }

    /// `display_label`, worked out from the paths.
    fn unique_label(&self, index: usize) -> String {
        let path = self.columns[index].label_path();
        (1..=path.len())
            .map(|k| &path[path.len() - k..])
            .find(|tail| {
                let others = self.columns.iter().enumerate().filter(|(j, _)| *j != index);
                !others
                    .map(|(_, o)| o.label_path())
                    .any(|o| names_too(o, tail))
            })
            .unwrap_or(path)
            .join("/")
    }

    /// Index of a column by key; panics when `key` is another template's (a programming error).
    pub fn index(&self, key: impl Into<Key>) -> usize {
        let key = key.into();
        assert_eq!(
            key.template(),
            self.id,
            "{key:?} is not a column of {}",
            self.attachment
        );
        key.index()
    }
}

/// Whether the header path `other` could also be meant by the labels `tail`: its labels end in
/// them (`应安置棚改居民户数` ends in `户数`), or hold them whole (`小计/户数` holds `小计`).
fn names_too(other: &[&str], tail: &[&str]) -> bool {
    let k = tail.len();
    let ends = other.len() >= k && {
        let (o, t) = (&other[other.len() - k..], tail);
        o[1..] == t[1..] && o[0].ends_with(t[0])
    };
    ends || other.windows(k).any(|w| w == tail)
}

pub(crate) const fn col(
    key: Key,
    path: &'static [&'static str],
    kind: Kind,
    required: bool,
    summed: bool,
    width: f64,
) -> Column {
    colv(key, path, &[], kind, required, summed, width)
}

pub(crate) const fn colv(
    key: Key,
    path: &'static [&'static str],
    variants: &'static [&'static str],
    kind: Kind,
    required: bool,
    summed: bool,
    width: f64,
) -> Column {
    Column {
        key,
        path,
        variants,
        kind,
        required,
        summed,
        width,
        merged_down: false,
        quoted_across_files: false,
        placeholder_leaf: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_columns_key_names_its_own_place() {
        for id in TemplateId::ALL {
            let t = id.template();
            for (i, c) in t.columns.iter().enumerate() {
                assert_eq!((c.key.template(), c.key.index()), (id, i), "{:?}", c.key);
                assert_eq!(t.index(c.key), i);
            }
        }
        assert_eq!(a2::Col::ALL.len(), a2::COLUMNS.len());
        assert_eq!(a5::Col::ALL.len(), a5::COLUMNS.len());
    }

    #[test]
    fn display_labels_are_unique_and_name_no_placeholder() {
        for id in TemplateId::ALL {
            let t = id.template();
            let labels: Vec<String> = (0..t.columns.len()).map(|i| t.display_label(i)).collect();
            for l in &labels {
                assert!(!l.contains("202X"), "{l}");
                assert_eq!(labels.iter().filter(|o| *o == l).count(), 1, "{l}");
            }
        }
        let a2 = |key: a2::Col| a2::TEMPLATE.display_label(key as usize);
        assert_eq!(a2(a2::Col::PlannedDelivery), "计划交付时间");
        assert_eq!(a2(a2::Col::OverdueUnits), "逾期未交付使用/套数");
        assert_eq!(a2(a2::Col::OverdueHouseholds), "逾期未交付使用/户数");
        assert_eq!(a2(a2::Col::OwedAmount), "欠发过渡安置费情况/金额");
        assert_eq!(a2(a2::Col::UnitsStarted), "开工套数");
        assert_eq!(a2(a2::Col::Households), "应安置棚改居民户数");
        let a5 = |key: a5::Col| a5::TEMPLATE.display_label(key as usize);
        assert_eq!(a5(a5::Col::FoundTotal), "发现问题数/小计");
    }
}
