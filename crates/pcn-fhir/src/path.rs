//! JSON paths into FHIR documents, as errors and reports write them:
//! `Patient.contact[0].relationship`, `Bundle.entry[3].resource.identifier[0].value`.

use std::fmt::Write as _;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A path being built while walking a resource; pushing and popping a segment costs
/// no allocation once the buffer has grown, so the walk over a valid resource is
/// cheap and a path string is only copied out when something is wrong.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsonPath {
    text: String,
}

impl JsonPath {
    /// A path starting at `root` (a resource type, or the path of an embedded resource).
    pub(crate) fn new(root: &str) -> Self {
        Self {
            text: root.to_owned(),
        }
    }

    /// Runs `f` with the member `name` appended to the path.
    pub(crate) fn member<R>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let mark = self.text.len();
        if !self.text.is_empty() {
            self.text.push('.');
        }
        self.text.push_str(name);
        let result = f(self);
        self.text.truncate(mark);
        result
    }

    /// Runs `f` with the array index `index` appended to the path.
    pub(crate) fn index<R>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        let mark = self.text.len();
        let _ = write!(self.text, "[{index}]");
        let result = f(self);
        self.text.truncate(mark);
        result
    }

    /// The path as text.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The path with `name` appended, as an owned string (for error values).
    pub(crate) fn with_member(&self, name: &str) -> String {
        if self.text.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.text)
        }
    }
}

/// Writes a path reported by the JSON reader after `prefix`, at the end of `out`,
/// whose own text for this path begins at byte `start`.
fn write_ignored(out: &mut String, start: usize, prefix: &str, path: &serde_ignored::Path<'_>) {
    use serde_ignored::Path;
    match path {
        Path::Root => out.push_str(prefix),
        Path::Seq { parent, index } => {
            write_ignored(out, start, prefix, parent);
            let _ = write!(out, "[{index}]");
        }
        Path::Map { parent, key } => {
            write_ignored(out, start, prefix, parent);
            if out.len() > start {
                out.push('.');
            }
            out.push_str(key);
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => {
            write_ignored(out, start, prefix, parent);
        }
    }
}

/// Writes the path of an error reported by the JSON reader after `prefix`.
pub(crate) fn error_path(prefix: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = prefix.to_owned();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    if out.is_empty() {
        out.push_str("the document");
    }
    out
}

/// The elements of a document that the import read past without taking in, by JSON
/// path (`Patient.contact[0]`, `CarePlan.activity[0].progress`).
///
/// An element is reported at the highest level at which it was not modelled: a whole
/// `contact` array, not each of its members. A resource of a type this crate does
/// not model is reported once, by its own path (`Bundle.entry[2].resource`). When a
/// bundle is read into the model ([`import_network`](crate::import_network)), the
/// elements of the typed resources that the model does not take in (a patient's
/// `name`, an extension of another system) are reported too.
///
/// The paths share one text buffer, so a document with many unmodelled elements costs
/// one growing allocation rather than one per element.
///
/// ```
/// let json = br#"{"resourceType":"Patient","gender":"male","maritalStatus":{"text":"M"}}"#;
/// let imported = pcn_fhir::import_resource(json)?;
/// assert_eq!(imported.ignored.iter().collect::<Vec<_>>(), ["Patient.maritalStatus"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoredElements {
    text: String,
    ends: Vec<usize>,
}

impl IgnoredElements {
    /// No ignored elements.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of ignored elements.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether nothing was ignored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The paths of the ignored elements, in reading order: a resource's own
    /// elements in document order, and in a bundle, the bundle's own elements, then
    /// each entry's.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.text[start..self.ends[i]]
        })
    }

    /// Whether the element at `path` was ignored.
    #[must_use]
    pub fn contains(&self, path: &str) -> bool {
        self.iter().any(|p| p == path)
    }

    /// Records a path.
    pub fn push(&mut self, path: &str) {
        self.text.push_str(path);
        self.ends.push(self.text.len());
    }

    /// Records a path reported by the JSON reader, after `prefix`, written straight
    /// into the shared buffer.
    pub(crate) fn push_reported(&mut self, prefix: &str, path: &serde_ignored::Path<'_>) {
        let start = self.text.len();
        write_ignored(&mut self.text, start, prefix, path);
        self.ends.push(self.text.len());
    }

    /// Appends all of `other`'s paths.
    pub fn extend(&mut self, other: &Self) {
        for path in other.iter() {
            self.push(path);
        }
    }
}

impl Serialize for IgnoredElements {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for IgnoredElements {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let paths = Vec::<String>::deserialize(deserializer)?;
        let mut ignored = Self::new();
        for path in &paths {
            ignored.push(path);
        }
        Ok(ignored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_and_unwind() {
        let mut path = JsonPath::new("Patient");
        let inner = path.member("identifier", |p| {
            p.index(2, |p| p.member("value", |p| p.as_str().to_owned()))
        });
        assert_eq!(inner, "Patient.identifier[2].value");
        assert_eq!(path.as_str(), "Patient");
        assert_eq!(path.with_member("id"), "Patient.id");
    }

    #[test]
    fn ignored_paths_share_one_buffer_and_serialise_as_a_list() {
        let mut ignored = IgnoredElements::new();
        ignored.push("Patient.contact[0]");
        ignored.push("Patient.photo");
        assert_eq!(ignored.len(), 2);
        assert!(ignored.contains("Patient.photo"));
        assert!(!ignored.contains("Patient"));
        let json = serde_json::to_string(&ignored).unwrap();
        assert_eq!(json, r#"["Patient.contact[0]","Patient.photo"]"#);
        assert_eq!(
            serde_json::from_str::<IgnoredElements>(&json).unwrap(),
            ignored
        );
    }
}
