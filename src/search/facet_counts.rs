//! Facet counting for the embedded index: counts per facet ordinal while collecting,
//! and names the ordinals from a table read once per segment.
//!
//! Tantivy's own `FacetCollector` walks the facet dictionary at the start of every
//! query and looks each counted ordinal up in it at the end (a dictionary block read
//! per value, per segment): over 50,000 roles that was most of a query's time.
//! Segments never change once written, so their ordinal → (attribute, value) table
//! is read once and kept until the segment is merged away.
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// What a segment's facet ordinals mean: the attribute (an index into `attributes`)
/// and the value of each, for facets of the form `/attribute/value`.
struct SegmentFacets {
    attributes: Vec<String>,
    /// Per ordinal: attribute index and value; `None` for any other shape of facet.
    ordinals: Vec<Option<(u16, Arc<str>)>>,
}

impl SegmentFacets {
    fn read(reader: &FacetReader) -> tantivy::Result<Self> {
        let dictionary = reader.facet_dict();
        let mut attributes: Vec<String> = Vec::new();
        let mut ordinals = vec![None; dictionary.num_terms()];
        let mut terms = dictionary.range().into_stream()?;
        while terms.advance() {
            let ord = terms.term_ord() as usize;
            // Facets are encoded as their path's parts joined by a 0 byte.
            let mut parts = terms.key().split(|b| *b == 0);
            let (Some(attribute), Some(value), None) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(attribute), Ok(value)) =
                (std::str::from_utf8(attribute), std::str::from_utf8(value))
            else {
                continue;
            };
            let index = match attributes.iter().position(|a| a == attribute) {
                Some(i) => i,
                None => {
                    attributes.push(attribute.to_owned());
                    attributes.len() - 1
                }
            };
            if let (Some(slot), Ok(index)) = (ordinals.get_mut(ord), u16::try_from(index)) {
                *slot = Some((index, Arc::from(value)));
            }
        }
        Ok(Self {
            attributes,
            ordinals,
        })
    }
}

/// The tables of the segments an index has shown so far; shared by its searches.
#[derive(Clone, Default)]
pub struct FacetTables {
    segments: Arc<Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>>,
}

impl FacetTables {
    fn for_segment(
        &self,
        reader: &SegmentReader,
        facets: &FacetReader,
    ) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = reader.segment_id();
        if let Some(table) = self.lock().get(&id) {
            return Ok(table.clone());
        }
        // Read outside the lock: two searches may both read a new segment, once each.
        let table = Arc::new(SegmentFacets::read(facets)?);
        self.lock().insert(id, table.clone());
        Ok(table)
    }

    /// Forgets segments the index no longer has (merged or rebuilt away).
    pub fn keep_only(&self, live: &[SegmentId]) {
        let live: HashSet<&SegmentId> = live.iter().collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        // A panic while holding the lock leaves the map usable: it only caches.
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Counts the values of the named attributes among the matching documents.
pub struct FacetCounter {
    field: String,
    attributes: Vec<String>,
    tables: FacetTables,
}

impl FacetCounter {
    pub fn new(field: &str, attributes: &[String], tables: &FacetTables) -> Self {
        Self {
            field: field.to_owned(),
            attributes: attributes.to_vec(),
            tables: tables.clone(),
        }
    }
}

/// Per attribute asked for: value → number of matching documents.
pub type Counts = HashMap<String, HashMap<Arc<str>, u64>>;

pub struct SegmentCounter {
    reader: FacetReader,
    table: Arc<SegmentFacets>,
    /// Per segment attribute index: the name asked for, if it was.
    wanted: Vec<Option<String>>,
    counts: Vec<u64>,
}

impl Collector for FacetCounter {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let reader = segment.facet_reader(&self.field)?;
        let table = self.tables.for_segment(segment, &reader)?;
        let wanted = table
            .attributes
            .iter()
            .map(|a| self.attributes.contains(a).then(|| a.clone()))
            .collect();
        let counts = if self.attributes.is_empty() {
            Vec::new()
        } else {
            vec![0; table.ordinals.len()]
        };
        Ok(SegmentCounter {
            reader,
            table,
            wanted,
            counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::new();
        for segment in segments {
            for (attribute, values) in segment {
                let into = merged.entry(attribute).or_default();
                for (value, count) in values {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.counts.is_empty() {
            return;
        }
        // A document counts once per value, even if the value was added twice.
        let mut previous = None;
        for ord in self.reader.facet_ords(doc) {
            if previous == Some(ord) {
                continue;
            }
            previous = Some(ord);
            if let Some(count) = self.counts.get_mut(ord as usize) {
                *count += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts::new();
        for (ord, count) in self.counts.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let Some(Some((attribute, value))) = self.table.ordinals.get(ord) else {
                continue;
            };
            if let Some(Some(name)) = self.wanted.get(usize::from(*attribute)) {
                *out.entry(name.clone())
                    .or_default()
                    .entry(value.clone())
                    .or_default() += count;
            }
        }
        out
    }
}
