//! The one error type of `pcn-ods`.

use pcn_network::NetworkError;
use thiserror::Error;

/// Everything that can go wrong reading the NHS files.
///
/// Every error about a row names the file, the line (1-based, as a text editor counts
/// them), the column and the value, so that the row can be found and fixed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum OdsError {
    /// The file could not be opened or read.
    #[error("cannot read {file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// What the operating system said.
        message: String,
    },
    /// The CSV itself is malformed at a line (bad quoting, text that is not UTF-8).
    #[error("{file}, line {line}: not valid CSV: {message}")]
    Csv {
        /// The file.
        file: String,
        /// The line.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// A zip archive is malformed, or a member of it cannot be read.
    #[error("{file}: not a readable zip archive: {message}")]
    Zip {
        /// The archive.
        file: String,
        /// What the zip reader said.
        message: String,
    },
    /// A zip archive holds no member of the name looked for.
    #[error("{file}: no member matching {wanted:?} in the zip; it holds {members:?}")]
    MissingMember {
        /// The archive.
        file: String,
        /// The member looked for (`*` matches any run of characters).
        wanted: String,
        /// The names of the members it holds.
        members: Vec<String>,
    },
    /// The rows of one organisation do not make a whole age and sex structure (a
    /// band missing or given twice, or totals that disagree with the bands).
    #[error(
        "{file}, line {line}: the age and sex structure of {organisation} is not whole: {reason}"
    )]
    Structure {
        /// The file.
        file: String,
        /// The line of the organisation's first row, or of the row at fault.
        line: u64,
        /// The organisation, as its type and code (`PCN U02795`).
        organisation: String,
        /// What is wrong.
        reason: String,
    },
    /// A workbook cannot be opened or a sheet of it read.
    #[error("{file}: not a readable workbook: {message}")]
    Workbook {
        /// The workbook.
        file: String,
        /// What the workbook reader said.
        message: String,
    },
    /// A workbook lacks a sheet the reader needs.
    #[error("{file}: no sheet named {wanted:?} (spaces and case ignored); it has {sheets:?}")]
    MissingSheet {
        /// The workbook.
        file: String,
        /// The sheet looked for.
        wanted: String,
        /// The sheets it has.
        sheets: Vec<String>,
    },
    /// A file whose header (or sheets) match no file this crate reads.
    #[error("{file}: the header {header:?} matches no file this crate reads; the nearest is {nearest}. Known files: {}", known.join("; "))]
    UnknownFile {
        /// The file.
        file: String,
        /// Its first row, as compared (lower case, white space collapsed).
        header: String,
        /// The files known.
        known: Vec<String>,
        /// The nearest known file and the columns it has that this one lacks.
        nearest: String,
    },
    /// A data folder lacks files the caller needs.
    #[error("{dir}: missing {}", missing.join("; "))]
    MissingData {
        /// The folder.
        dir: String,
        /// Each missing file, with the names looked for.
        missing: Vec<String>,
    },
    /// A header row lacks a column the reader needs.
    #[error(
        "{file}: no column named {column:?} in the header row {header:?}; is this the right file?"
    )]
    MissingColumn {
        /// The file.
        file: String,
        /// The column looked for (any of its accepted names).
        column: String,
        /// The header row as found.
        header: String,
    },
    /// A row has the wrong number of columns.
    #[error("{file}, line {line}: expected {expected} columns, found {found}")]
    ColumnCount {
        /// The file.
        file: String,
        /// The line.
        line: u64,
        /// The number of columns the layout has.
        expected: usize,
        /// The number found.
        found: usize,
    },
    /// A value is not what its column allows.
    #[error("{file}, line {line}, column {column}: {reason} (found {value:?})")]
    InvalidValue {
        /// The file.
        file: String,
        /// The line.
        line: u64,
        /// The column: its number and meaning for files without a header, its header
        /// name otherwise.
        column: String,
        /// The value found.
        value: String,
        /// What the column allows.
        reason: String,
    },
    /// A row refers to a practice or network that no earlier file provided.
    #[error(
        "{file}, line {line}, column {column}: {what} {value} is not in the files imported so far; import the practice and PCN files first"
    )]
    UnknownCode {
        /// The file.
        file: String,
        /// The line.
        line: u64,
        /// The column.
        column: String,
        /// What the code should name (`practice`, `PCN`).
        what: &'static str,
        /// The code found.
        value: String,
    },
    /// A practice or network could not be added to the registry (a code appearing
    /// twice, for example).
    #[error("{file}, line {line}: {source}")]
    Registry {
        /// The file.
        file: String,
        /// The line.
        line: u64,
        /// What the registry said.
        source: NetworkError,
    },
}

impl OdsError {
    /// The file the error is about.
    #[must_use]
    pub fn file(&self) -> &str {
        match self {
            Self::Io { file, .. }
            | Self::Zip { file, .. }
            | Self::Workbook { file, .. }
            | Self::UnknownFile { file, .. }
            | Self::MissingSheet { file, .. }
            | Self::MissingData { dir: file, .. }
            | Self::MissingMember { file, .. }
            | Self::Structure { file, .. }
            | Self::Csv { file, .. }
            | Self::MissingColumn { file, .. }
            | Self::ColumnCount { file, .. }
            | Self::InvalidValue { file, .. }
            | Self::UnknownCode { file, .. }
            | Self::Registry { file, .. } => file,
        }
    }

    /// The line the error is about, where it is about one.
    #[must_use]
    pub const fn line(&self) -> Option<u64> {
        match self {
            Self::Csv { line, .. }
            | Self::Structure { line, .. }
            | Self::ColumnCount { line, .. }
            | Self::InvalidValue { line, .. }
            | Self::UnknownCode { line, .. }
            | Self::Registry { line, .. } => Some(*line),
            Self::Io { .. }
            | Self::Zip { .. }
            | Self::Workbook { .. }
            | Self::UnknownFile { .. }
            | Self::MissingSheet { .. }
            | Self::MissingData { .. }
            | Self::MissingMember { .. }
            | Self::MissingColumn { .. } => None,
        }
    }
}
