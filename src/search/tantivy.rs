//! The embedded search back end: one tantivy index per kind of document in `<data_dir>/search/`, honouring the same settings file as Meilisearch.
//!
//! Typo tolerance is fuzzy term matching by word length (one typo from 5 letters,
//! two from 9, a swap counting as one), the last word matches as a prefix while
//! someone is still typing, synonyms and stop words come from the settings file,
//! and every query word must match (Meilisearch with `matchingStrategy: all`).
//!
//! Each index folder has exactly one writer, owned here; a process opens a folder
//! once (`open_shared`) and everything in it shares that handle. A rebuild writes
//! a new folder beside the live one and swaps a pointer file, so searches never
//! see a half-built index.
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock, Weak};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader,
    TantivyDocument, Term,
};

use super::facet_counts::{FacetCounter, FacetTables};
use super::highlight::{self, WordMatcher};
use super::{
    Document, FacetCount, Hit, IndexName, IndexSettings, MAX_QUERY_WORDS, SearchError, SearchIndex,
    SearchQuery, SearchResults, SortBy,
};

const TOKENIZER: &str = "hubmatch";
const FACETS: &str = "_facets";
const SNIPPET_CHARS: usize = 180;

/// Tantivy errors are the index's trouble, not the visitor's.
fn backend(e: impl std::fmt::Display) -> SearchError {
    SearchError::Backend(e.to_string())
}

/// Words split on anything not a letter or digit, lower-cased, accents folded
/// ("Café" finds "cafe" and "café").
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Folded tokens of `text`, with their byte ranges.
fn tokens(text: &str) -> Vec<(String, usize, usize)> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
}

/// The fields of one index, derived from its settings file.
struct Fields {
    id: Field,
    /// Searchable attributes in ranking order.
    text: Vec<(String, Field)>,
    facets: Field,
    numbers: BTreeMap<String, Field>,
    lat: Field,
    lon: Field,
}

fn schema_for(settings: &IndexSettings) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_i64_field("id", INDEXED | STORED | FAST);
    let text_options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let text = settings
        .searchable_attributes
        .iter()
        .map(|a| (a.clone(), b.add_text_field(a, text_options.clone())))
        .collect();
    let facets = b.add_facet_field(FACETS, FacetOptions::default());
    let numbers = settings
        .sortable_attributes
        .iter()
        .filter(|a| *a != "_geo")
        .map(|a| (a.clone(), b.add_i64_field(&format!("_n_{a}"), FAST)))
        .collect();
    let lat = b.add_f64_field("_lat", FAST);
    let lon = b.add_f64_field("_lon", FAST);
    (
        b.build(),
        Fields {
            id,
            text,
            facets,
            numbers,
            lat,
            lon,
        },
    )
}

/// One open index folder with its only writer.
struct Live {
    folder: PathBuf,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    settings: Arc<IndexSettings>,
    facet_tables: FacetTables,
}

impl Live {
    fn create_or_open(folder: &Path, settings: Arc<IndexSettings>) -> Result<Self, SearchError> {
        std::fs::create_dir_all(folder).map_err(backend)?;
        let (schema, fields) = schema_for(&settings);
        let dir = tantivy::directory::MmapDirectory::open(folder).map_err(backend)?;
        let index = Index::open_or_create(dir, schema).map_err(backend)?;
        index.tokenizers().register(TOKENIZER, analyzer());
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let writer = index
            .writer_with_num_threads(threads, threads * 30_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Unavailable(format!(
                    "{} is in use by another process (a running server?)",
                    folder.display()
                )),
                e => backend(e),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(backend)?;
        Ok(Self {
            folder: folder.to_owned(),
            reader,
            writer: Mutex::new(writer),
            fields,
            settings,
            facet_tables: FacetTables::default(),
        })
    }

    fn to_tantivy(&self, doc: &Document) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_i64(f.id, doc.id);
        for (name, field) in &f.text {
            if let Some(text) = doc.text.get(name) {
                d.add_text(*field, text);
            }
        }
        for (name, values) in &doc.facets {
            for v in values {
                d.add_facet(f.facets, Facet::from_path([name.as_str(), v.as_str()]));
            }
        }
        for (name, field) in &f.numbers {
            if let Some(v) = doc.numbers.get(name) {
                d.add_i64(*field, *v);
            }
        }
        if let Some((lat, lon)) = doc.geo {
            d.add_f64(f.lat, lat);
            d.add_f64(f.lon, lon);
        }
        d
    }

    fn write(&self, upserts: &[Document], deletes: &[i64]) -> Result<(), SearchError> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| backend("index writer poisoned"))?;
        for id in deletes.iter().chain(upserts.iter().map(|d| &d.id)) {
            writer.delete_term(Term::from_field_i64(self.fields.id, *id));
        }
        for doc in upserts {
            writer.add_document(self.to_tantivy(doc)).map_err(backend)?;
        }
        writer.commit().map_err(backend)?;
        drop(writer);
        self.reader.reload().map_err(backend)?;
        let live: Vec<_> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.facet_tables.keep_only(&live);
        Ok(())
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        q.check(&self.settings)?;
        let plan = Plan::new(&q.text, &self.settings);
        let query = self.query(&plan, q);
        let searcher = self.reader.searcher();

        let facet_collector = FacetCounter::new(FACETS, &q.facets, &self.facet_tables);
        let limit = q.per_page as usize;
        let offset = q.offset();
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let (total, addresses, counts) = match self.order(q, &plan) {
            Order::Score => {
                let (n, top, f) = searcher
                    .search(&query, &(Count, top.order_by_score(), facet_collector))
                    .map_err(backend)?;
                (n, top.into_iter().map(|(_, a)| a).collect::<Vec<_>>(), f)
            }
            Order::Key(key) => {
                let key = Arc::new(key);
                let tweak = top.tweak_score(move |segment: &SegmentReader| {
                    let key = key.clone();
                    let column = key.column(segment);
                    move |doc: DocId, score: Score| key.value(&column, doc, score)
                });
                let (n, top, f) = searcher
                    .search(&query, &(Count, tweak, facet_collector))
                    .map_err(backend)?;
                (n, top.into_iter().map(|(_, a)| a).collect::<Vec<_>>(), f)
            }
        };
        let hits = if limit == 0 {
            Vec::new()
        } else {
            addresses
                .into_iter()
                .map(|a| self.hit(&searcher, a, &plan))
                .collect::<Result<_, _>>()?
        };
        let mut facets = BTreeMap::new();
        for facet in &q.facets {
            let mut values: Vec<FacetCount> = counts
                .get(facet)
                .into_iter()
                .flatten()
                .map(|(value, count)| FacetCount {
                    value: value.to_string(),
                    count: *count,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            facets.insert(facet.clone(), values);
        }
        Ok(SearchResults {
            hits,
            total: total as u64,
            facets,
        })
    }

    /// Relevance with words; with no words "relevance" means newest first, as
    /// every document scores the same.
    fn order(&self, q: &SearchQuery, plan: &Plan) -> Order {
        let number = |name: &str| self.fields.numbers.get(name).copied();
        match &q.sort {
            SortBy::Relevance if plan.is_empty() => match number("opened_at") {
                Some(f) => Order::Key(SortKey::Number {
                    field: f,
                    descending: true,
                }),
                None => Order::Score,
            },
            SortBy::Relevance => Order::Score,
            SortBy::Ascending(name) | SortBy::Descending(name) => match number(name) {
                Some(field) => Order::Key(SortKey::Number {
                    field,
                    descending: matches!(q.sort, SortBy::Descending(_)),
                }),
                None => Order::Score,
            },
            SortBy::Near { lat, lon } => Order::Key(SortKey::Near {
                lat_field: self.fields.lat,
                lon_field: self.fields.lon,
                from: (*lat, *lon),
            }),
        }
    }

    fn query(&self, plan: &Plan, q: &SearchQuery) -> Box<dyn Query> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for unit in &plan.units {
            must.push((Occur::Must, self.unit_query(unit)));
        }
        for (attribute, values) in &q.filters {
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let term = Term::from_facet(
                        self.fields.facets,
                        &Facet::from_path([attribute.as_str(), v.as_str()]),
                    );
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if plan.units.is_empty() {
            must.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(must))
    }

    /// One query word (or phrase) in any searchable field, earlier fields
    /// counting more; exact words count more than typos and prefixes.
    fn unit_query(&self, unit: &Unit) -> Box<dyn Query> {
        let n = self.fields.text.len() as f32;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (rank, (_, field)) in self.fields.text.iter().enumerate() {
            let weight = 1.0 + (n - rank as f32) / n;
            let mut add = |q: Box<dyn Query>, boost: f32| {
                any.push((Occur::Should, Box::new(BoostQuery::new(q, weight * boost))));
            };
            for alternative in &unit.exact {
                add(phrase_or_term(*field, alternative), 2.0);
            }
            if let Some(m) = &unit.fuzzy {
                let term = Term::from_field_text(*field, &m.word);
                if m.prefix {
                    add(
                        Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                        1.0,
                    );
                }
                if m.typos > 0 {
                    let fuzzy = if m.prefix {
                        FuzzyTermQuery::new_prefix(term, m.typos, true)
                    } else {
                        FuzzyTermQuery::new(term, m.typos, true)
                    };
                    add(Box::new(fuzzy), 0.5);
                }
            }
        }
        Box::new(BooleanQuery::new(any))
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        plan: &Plan,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(backend)?;
        let id = doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_i64())
            .ok_or_else(|| backend("a document has no id"))?;
        let text = |name: &str| -> String {
            self.fields
                .text
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, f)| {
                    doc.get_first(*f)
                        .and_then(|v| v.as_str().map(str::to_owned))
                })
                .unwrap_or_default()
        };
        // The title is whatever the first searchable attribute is (`title`,
        // or a volunteer's skills); the snippet is the first other field with a match.
        let first = self
            .fields
            .text
            .first()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        let title = text(&first);
        let title_html = highlight::mark(&title, &plan.marks(&title));
        let mut snippet_html = String::new();
        let mut fallback = None;
        // Passages read better than lists of causes: try them first.
        let mut order: Vec<&String> = self.fields.text.iter().skip(1).map(|(n, _)| n).collect();
        order.sort_by_key(|n| !matches!(String::as_str(n), "summary" | "description" | "bio"));
        for name in order {
            let body = text(name);
            if body.is_empty() {
                continue;
            }
            let marks = plan.marks(&body);
            if !marks.is_empty() {
                snippet_html = highlight::fragment(&body, &marks, SNIPPET_CHARS);
                break;
            }
            if fallback.is_none() && (name == "summary" || name == "bio") {
                fallback = Some(body);
            }
        }
        if snippet_html.is_empty() {
            snippet_html = highlight::fragment(&fallback.unwrap_or_default(), &[], SNIPPET_CHARS);
        }
        Ok(Hit {
            id,
            title_html,
            snippet_html,
        })
    }
}

fn phrase_or_term(field: Field, words: &[String]) -> Box<dyn Query> {
    if words.len() == 1 {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &words[0]),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(
            words
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
        ))
    }
}

enum Order {
    Score,
    Key(SortKey),
}

/// Sort keys are "bigger first": ascending dates are negated; a missing value is
/// -infinity so it sorts last either way; relevance breaks ties.
enum SortKey {
    Number {
        field: Field,
        descending: bool,
    },
    Near {
        lat_field: Field,
        lon_field: Field,
        from: (f64, f64),
    },
}

type Columns = (
    Option<tantivy::columnar::Column<i64>>,
    Option<(
        tantivy::columnar::Column<f64>,
        tantivy::columnar::Column<f64>,
    )>,
);

impl SortKey {
    fn column(&self, segment: &SegmentReader) -> Columns {
        let name = |f: Field| segment.schema().get_field_name(f).to_owned();
        match self {
            Self::Number { field, .. } => (segment.fast_fields().i64(&name(*field)).ok(), None),
            Self::Near {
                lat_field,
                lon_field,
                ..
            } => {
                let lat = segment.fast_fields().f64(&name(*lat_field)).ok();
                let lon = segment.fast_fields().f64(&name(*lon_field)).ok();
                (None, lat.zip(lon))
            }
        }
    }

    fn value(&self, columns: &Columns, doc: DocId, score: Score) -> (f64, Score) {
        let key = match self {
            Self::Number { descending, .. } => {
                match columns.0.as_ref().and_then(|c| c.first(doc)) {
                    Some(v) if *descending => v as f64,
                    Some(v) => -(v as f64),
                    None => f64::NEG_INFINITY,
                }
            }
            Self::Near { from, .. } => match columns
                .1
                .as_ref()
                .and_then(|(lat, lon)| lat.first(doc).zip(lon.first(doc)))
            {
                Some(at) => -highlight::distance_km(*from, at),
                None => f64::NEG_INFINITY,
            },
        };
        (key, score)
    }
}

/// A query word, a quoted phrase, or several words that form a synonym ("food bank").
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    /// Exact alternatives (the words themselves and their synonyms), each one or more words.
    exact: Vec<Vec<String>>,
    /// Typo and prefix matching, for single words not in quotes.
    fuzzy: Option<WordMatcher>,
}

/// What a query text means: its units, each of which must match.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    units: Vec<Unit>,
}

impl Plan {
    fn new(text: &str, settings: &IndexSettings) -> Self {
        // Quoted parts are phrases: exact words in that order, no typos.
        let mut units = Vec::new();
        let mut loose: Vec<String> = Vec::new();
        let ends_in_word = text.chars().last().is_some_and(|c| c.is_alphanumeric());
        for (i, part) in text.split('"').enumerate() {
            let words: Vec<String> = tokens(part).into_iter().map(|t| t.0).collect();
            if i % 2 == 1 {
                if !words.is_empty() {
                    units.push(Unit {
                        exact: vec![words],
                        fuzzy: None,
                    });
                }
            } else {
                loose.extend(words);
            }
        }
        // Stop words only count when the query is nothing else.
        let kept: Vec<String> = loose
            .iter()
            .filter(|w| !settings.is_stop_word(w))
            .cloned()
            .collect();
        let mut words = if kept.is_empty() { loose } else { kept };
        words.truncate(MAX_QUERY_WORDS);
        let last_is_prefix = ends_in_word && !text.trim_end().ends_with('"');
        let mut i = 0;
        while i < words.len() {
            // Longest synonym phrase starting here wins: "food bank" before "food".
            let mut taken = 1;
            for len in (2..=3).rev() {
                if i + len <= words.len()
                    && settings.synonyms.contains_key(&words[i..i + len].join(" "))
                {
                    taken = len;
                    break;
                }
            }
            let phrase = words[i..i + taken].to_vec();
            let key = phrase.join(" ");
            let mut exact = vec![phrase.clone()];
            if let Some(others) = settings.synonyms.get(&key) {
                for other in others {
                    let alt: Vec<String> = tokens(other).into_iter().map(|t| t.0).collect();
                    if !alt.is_empty() && !exact.contains(&alt) {
                        exact.push(alt);
                    }
                }
            }
            let fuzzy = (taken == 1).then(|| WordMatcher {
                typos: settings.typos_allowed(&key),
                prefix: last_is_prefix && i + 1 == words.len(),
                word: key.clone(),
            });
            units.push(Unit { exact, fuzzy });
            i += taken;
        }
        Self { units }
    }

    fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Byte ranges of `text` this query matched.
    fn marks(&self, text: &str) -> Vec<(usize, usize)> {
        if self.units.is_empty() {
            return Vec::new();
        }
        let toks = tokens(text);
        let mut marked = vec![false; toks.len()];
        for unit in &self.units {
            for alt in &unit.exact {
                if alt.is_empty() || alt.len() > toks.len() {
                    continue;
                }
                for start in 0..=toks.len() - alt.len() {
                    if alt.iter().enumerate().all(|(k, w)| &toks[start + k].0 == w) {
                        marked[start..start + alt.len()]
                            .iter_mut()
                            .for_each(|m| *m = true);
                    }
                }
            }
            if let Some(m) = &unit.fuzzy {
                for (k, t) in toks.iter().enumerate() {
                    if m.matches(&t.0) {
                        marked[k] = true;
                    }
                }
            }
        }
        // Neighbouring marked words become one mark ("<mark>older people</mark>").
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            if !marked[k] {
                continue;
            }
            match out.last_mut() {
                Some(last) if k > 0 && marked[k - 1] && text[last.1..t.1].trim().is_empty() => {
                    last.1 = t.2;
                }
                _ => out.push((t.1, t.2)),
            }
        }
        out
    }
}

/// The embedded back end: a folder with one sub-folder per index generation and
/// a `<index>.current` file naming the live one.
pub struct TantivyIndex {
    root: PathBuf,
    live: HashMap<IndexName, RwLock<Option<Arc<Live>>>>,
    settings: HashMap<IndexName, Arc<IndexSettings>>,
}

/// Folders open in this process: a second `open_shared` of the same folder gets
/// the same handle (tantivy allows one writer per folder).
fn registry() -> &'static Mutex<HashMap<PathBuf, Weak<TantivyIndex>>> {
    static OPEN: OnceLock<Mutex<HashMap<PathBuf, Weak<TantivyIndex>>>> = OnceLock::new();
    OPEN.get_or_init(Mutex::default)
}

impl TantivyIndex {
    /// Opens (creating if need be) the indexes in `root`, or returns the handle
    /// this process already has on it.
    pub fn open_shared(root: &Path) -> Result<Arc<Self>, SearchError> {
        std::fs::create_dir_all(root).map_err(backend)?;
        let key = root.canonicalize().map_err(backend)?;
        let mut open = registry()
            .lock()
            .map_err(|_| backend("search registry poisoned"))?;
        if let Some(existing) = open.get(&key).and_then(Weak::upgrade) {
            return Ok(existing);
        }
        let index = Arc::new(Self::open_new(&key)?);
        open.retain(|_, w| w.strong_count() > 0);
        open.insert(key, Arc::downgrade(&index));
        Ok(index)
    }

    fn open_new(root: &Path) -> Result<Self, SearchError> {
        let mut settings = HashMap::new();
        let mut live = HashMap::new();
        for name in IndexName::ALL {
            let s = Arc::new(IndexSettings::load(name)?);
            let folder = Self::current_folder(root, name);
            let opened = Live::create_or_open(&folder, s.clone())?;
            settings.insert(name, s);
            live.insert(name, RwLock::new(Some(Arc::new(opened))));
        }
        Ok(Self {
            root: root.to_owned(),
            live,
            settings,
        })
    }

    fn pointer(root: &Path, name: IndexName) -> PathBuf {
        root.join(format!("{}.current", name.as_str()))
    }

    fn current_folder(root: &Path, name: IndexName) -> PathBuf {
        std::fs::read_to_string(Self::pointer(root, name))
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty() && !s.contains('/') && !s.contains(".."))
            .map_or_else(|| root.join(name.as_str()), |s| root.join(s))
    }

    fn get(&self, name: IndexName) -> Result<Arc<Live>, SearchError> {
        self.live
            .get(&name)
            .and_then(|l| l.read().ok().and_then(|g| g.clone()))
            .ok_or_else(|| SearchError::Unavailable(format!("{} index is closed", name.as_str())))
    }

    /// Closes every index (releasing the writers) until `reopen`: writes and
    /// searches fail as if the index were on a server that is down. For
    /// maintenance, and for testing that the outbox loses nothing meanwhile.
    pub fn close(&self) {
        for slot in self.live.values() {
            if let Ok(mut g) = slot.write() {
                *g = None;
            }
        }
    }

    pub fn reopen(&self) -> Result<(), SearchError> {
        for (name, slot) in &self.live {
            let mut g = slot.write().map_err(|_| backend("index lock poisoned"))?;
            if g.is_none() {
                let folder = Self::current_folder(&self.root, *name);
                *g = Some(Arc::new(Live::create_or_open(
                    &folder,
                    self.settings[name].clone(),
                )?));
            }
        }
        Ok(())
    }

    /// Searches synchronously: for benchmarks, which have no runtime to spare.
    pub fn search_now(
        &self,
        index: IndexName,
        query: &SearchQuery,
    ) -> Result<SearchResults, SearchError> {
        self.get(index)?.search(query)
    }

    /// Rebuilds synchronously (see `SearchIndex::reindex`).
    pub fn reindex_now(&self, name: IndexName, docs: &[Document]) -> Result<(), SearchError> {
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let folder_name = format!("{}-{stamp}", name.as_str());
        let folder = self.root.join(&folder_name);
        let fresh = Live::create_or_open(&folder, self.settings[&name].clone())?;
        fresh.write(docs, &[])?;
        let slot = self
            .live
            .get(&name)
            .ok_or_else(|| backend("no such index"))?;
        let mut g = slot.write().map_err(|_| backend("index lock poisoned"))?;
        if g.is_none() {
            return Err(SearchError::Unavailable(format!(
                "{} index is closed",
                name.as_str()
            )));
        }
        // The pointer is written whole (rename) before the swap, so a crash
        // leaves either the old or the new index live, never neither.
        let pointer = Self::pointer(&self.root, name);
        let tmp = pointer.with_extension("next");
        std::fs::write(&tmp, &folder_name).map_err(backend)?;
        std::fs::rename(&tmp, &pointer).map_err(backend)?;
        let old = g.replace(Arc::new(fresh));
        drop(g);
        if let Some(old) = old {
            let old_folder = old.folder.clone();
            // Searches in flight hold their own Arc; the folder goes once they finish.
            drop(old);
            let _ = std::fs::remove_dir_all(old_folder);
        }
        Ok(())
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, SearchError> {
    tokio::task::spawn_blocking(f).await.map_err(backend)?
}

#[async_trait::async_trait]
impl SearchIndex for TantivyIndex {
    fn backend(&self) -> &'static str {
        "tantivy"
    }

    async fn upsert(&self, index: IndexName, docs: Vec<Document>) -> Result<(), SearchError> {
        let live = self.get(index)?;
        blocking(move || live.write(&docs, &[])).await
    }

    async fn delete(&self, index: IndexName, ids: Vec<i64>) -> Result<(), SearchError> {
        let live = self.get(index)?;
        blocking(move || live.write(&[], &ids)).await
    }

    async fn search(
        &self,
        index: IndexName,
        query: &SearchQuery,
    ) -> Result<SearchResults, SearchError> {
        let live = self.get(index)?;
        let query = query.clone();
        blocking(move || live.search(&query)).await
    }

    async fn reindex(&self, index: IndexName, docs: Vec<Document>) -> Result<(), SearchError> {
        let me = self.root.clone();
        let this = Self::open_shared(&me)?;
        blocking(move || this.reindex_now(index, &docs)).await
    }

    async fn count(&self, index: IndexName) -> Result<u64, SearchError> {
        let live = self.get(index)?;
        Ok(live.reader.searcher().num_docs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> IndexSettings {
        IndexSettings::load(IndexName::Roles).unwrap()
    }

    #[test]
    fn a_query_becomes_words_phrases_and_synonym_groups() {
        let plan = Plan::new("the food bank \"night shelter\" garde", &settings());
        assert_eq!(plan.units.len(), 3, "{plan:?}");
        // Quoted first, then "food bank" as one unit with its synonyms.
        assert_eq!(plan.units[0].exact, vec![vec!["night", "shelter"]]);
        assert!(
            plan.units[1]
                .exact
                .contains(&vec!["food".to_owned(), "hub".to_owned()])
        );
        let last = plan.units[2].fuzzy.as_ref().unwrap();
        assert!(last.prefix && last.typos == 1);
    }

    #[test]
    fn a_query_of_only_stop_words_keeps_them() {
        assert_eq!(Plan::new("the", &settings()).units.len(), 1);
        assert_eq!(Plan::new("", &settings()).units.len(), 0);
    }

    #[test]
    fn marks_join_neighbouring_words_and_fold_accents() {
        let plan = Plan::new("older people cafe", &settings());
        let text = "Lunch club for older people at the Café";
        let marked = highlight::mark(text, &plan.marks(text));
        assert_eq!(
            marked,
            "Lunch club for <mark>older people</mark> at the <mark>Café</mark>"
        );
    }
}
