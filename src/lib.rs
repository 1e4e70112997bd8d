//! pgcheck: checks the weekly county reports of the shantytown-resettlement campaign
//! (棚改居民逾期未回迁安置问题整治) against their templates and rules, and consolidates them into
//! the city's workbook. The library never prints; `report` turns findings into text.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod diag;
pub mod fields;
pub mod grid;
pub mod header;
pub mod history;
pub mod lang;
pub mod merge;
pub mod oserror;
pub mod panics;
pub mod read;
pub mod report;
pub mod rules;
pub mod table;
pub mod template;
pub mod validate;
pub mod values;
pub mod writer;
