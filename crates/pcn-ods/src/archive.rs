//! Zip archives as NHS England and NHS Digital publish them: the CSV inside is read
//! straight from the archive.

use std::fs::File;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

use crate::{Input, OdsError};

/// The member of the "Patients Registered at a GP Practice" quinary-age zip
/// (`gp-reg-pat-prac-quin-age.csv`).
pub const QUINARY_AGE_MEMBER: &str = "gp-reg-pat-prac-quin-age*.csv";
/// The member of the same publication's practice mapping zip
/// (`gp-reg-pat-prac-map.csv`).
pub const PRACTICE_MAP_MEMBER: &str = "gp-reg-pat-prac-map*.csv";
/// The member of the PCN workforce individual-level zip
/// (`1.Primary Care Networks - June 2026 Individual Level.csv`; the month changes
/// with each edition).
pub const WORKFORCE_MEMBER: &str = "*Individual Level*.csv";
/// The member of the ODS `epraccur.zip`.
pub const EPRACCUR_MEMBER: &str = "epraccur*.csv";

/// A zip archive's first bytes ("PK\x03\x04"; an empty archive starts "PK\x05\x06").
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether `name` (its last path component, case ignored) matches `pattern`, in
/// which `*` stands for any run of characters.
pub(crate) fn matches(pattern: &str, name: &str) -> bool {
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_lowercase();
    let pattern = pattern.to_lowercase();
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return name.is_empty();
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The bytes of a file, named by its path in errors.
fn read_all(path: &Path) -> Result<(String, Vec<u8>), OdsError> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut file| file.read_to_end(&mut bytes))
        .map_err(|e| OdsError::Io {
            file: name.clone(),
            message: e.to_string(),
        })?;
    Ok((name, bytes))
}

impl Input<Cursor<Vec<u8>>> {
    /// The member of a zip archive whose name matches `member` (case ignored, `*`
    /// for any run of characters, directories inside the archive ignored), read
    /// whole. Errors name it `archive/member`.
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use pcn_ods::Input;
    /// let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    /// zip.start_file("epraccur.csv", zip::write::SimpleFileOptions::default())?;
    /// zip.write_all(b"\"A81001\",\"THE DENSHAM SURGERY\"\n")?;
    /// let archive = zip.finish()?.into_inner();
    ///
    /// let input = Input::from_zip("epraccur.zip", Cursor::new(&archive), "epraccur*.csv")?;
    /// assert_eq!(input.name(), "epraccur.zip/epraccur.csv");
    /// let err = Input::from_zip("epraccur.zip", Cursor::new(&archive), "ePCN.xlsx").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "epraccur.zip: no member matching \"ePCN.xlsx\" in the zip; it holds [\"epraccur.csv\"]"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`OdsError::Zip`] if the archive or the member cannot be read;
    /// [`OdsError::MissingMember`], naming every member, if none matches.
    pub fn from_zip<R: Read + Seek>(
        name: impl Into<String>,
        archive: R,
        member: &str,
    ) -> Result<Self, OdsError> {
        let file = name.into();
        let zip_error = |e: zip::result::ZipError| OdsError::Zip {
            file: file.clone(),
            message: e.to_string(),
        };
        let mut archive = zip::ZipArchive::new(archive).map_err(zip_error)?;
        let members = names(&archive).map_err(zip_error)?;
        let Some((at, found)) = members
            .iter()
            .enumerate()
            .find(|(_, m)| !m.ends_with('/') && matches(member, m))
        else {
            let mut members = members;
            members.sort();
            return Err(OdsError::MissingMember {
                file,
                wanted: member.to_owned(),
                members,
            });
        };
        let mut entry = archive.by_index(at).map_err(zip_error)?;
        let capacity = usize::try_from(entry.size()).unwrap_or(0).min(1 << 30);
        let mut bytes = Vec::with_capacity(capacity);
        entry.read_to_end(&mut bytes).map_err(|e| OdsError::Zip {
            file: format!("{file}/{found}"),
            message: e.to_string(),
        })?;
        Ok(Self::new(format!("{file}/{found}"), Cursor::new(bytes)))
    }

    /// Opens a file as published: a zip archive (known by its first bytes, whatever
    /// its name) is opened and its member matching `member` read, as
    /// [`Input::from_zip`]; any other file is read as it is.
    ///
    /// # Errors
    /// [`OdsError::Io`] if the file cannot be read; as [`Input::from_zip`] for a zip.
    pub fn open_published(path: impl AsRef<Path>, member: &str) -> Result<Self, OdsError> {
        let (name, bytes) = read_all(path.as_ref())?;
        if is_zip(&bytes) {
            Self::from_zip(name, Cursor::new(bytes), member)
        } else {
            Ok(Self::new(name, Cursor::new(bytes)))
        }
    }
}

impl<R: Read> Input<R> {
    /// The reader, given back.
    pub fn into_inner(self) -> R {
        self.into_parts().1
    }
}

/// The names of the members of a zip archive, in archive order.
///
/// # Errors
/// [`OdsError::Zip`] if the archive cannot be read.
pub fn zip_members<R: Read + Seek>(name: &str, archive: R) -> Result<Vec<String>, OdsError> {
    let archive = zip::ZipArchive::new(archive).map_err(|e| OdsError::Zip {
        file: name.to_owned(),
        message: e.to_string(),
    })?;
    names(&archive).map_err(|e| OdsError::Zip {
        file: name.to_owned(),
        message: e.to_string(),
    })
}

/// The member names, in archive (index) order.
fn names<R: Read + Seek>(archive: &zip::ZipArchive<R>) -> zip::result::ZipResult<Vec<String>> {
    archive
        .file_names()
        .map(|name| name.map(std::borrow::Cow::into_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(members: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in members {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn patterns_match_names_without_case_or_directory() {
        assert!(matches(
            "*Individual Level*.csv",
            "1.Primary Care Networks - June 2026 Individual Level.csv"
        ));
        assert!(matches(
            "gp-reg-pat-prac-map*.csv",
            "data/GP-REG-PAT-PRAC-MAP.csv"
        ));
        assert!(!matches(
            "gp-reg-pat-prac-map*.csv",
            "gp-reg-pat-prac-map.xlsx"
        ));
        assert!(!matches("a*a", "a"));
        assert!(matches("a*a", "aa"));
        assert!(matches("x.csv", "X.CSV"));
    }

    #[test]
    fn a_missing_member_names_the_members() {
        let bytes = archive(&[("b.pdf", "x"), ("a.xlsx", "y")]);
        let err = Input::from_zip("pub.zip", Cursor::new(bytes), "*.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "pub.zip: no member matching \"*.csv\" in the zip; it holds [\"a.xlsx\", \"b.pdf\"]"
        );
    }

    #[test]
    fn a_member_is_read_and_named() {
        let bytes = archive(&[
            ("guide.pdf", "x"),
            ("Lists Individual Level.csv", "A,B\n1,2\n"),
        ]);
        let input = Input::from_zip("pub.zip", Cursor::new(bytes), WORKFORCE_MEMBER).unwrap();
        assert_eq!(input.name(), "pub.zip/Lists Individual Level.csv");
        assert_eq!(input.into_inner().into_inner(), b"A,B\n1,2\n");
    }

    #[test]
    fn not_a_zip_is_an_error() {
        let err =
            Input::from_zip("pub.zip", Cursor::new(b"PK\x03\x04junk".to_vec()), "*").unwrap_err();
        assert!(matches!(err, OdsError::Zip { .. }), "{err}");
    }
}
