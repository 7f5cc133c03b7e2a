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
            | Self::ColumnCount { line, .. }
            | Self::InvalidValue { line, .. }
            | Self::UnknownCode { line, .. }
            | Self::Registry { line, .. } => Some(*line),
            Self::Io { .. } | Self::MissingColumn { .. } => None,
        }
    }
}
