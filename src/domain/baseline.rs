//! Census baseline tables as a borough downloads them: a CSV reader, the long
//! `dimension,universe,category,count` layout and the ONS bulk layout (one row per area).
//!
//! Errors name the line (1-based, as a spreadsheet or editor shows it) and the column.

use std::collections::HashMap;
use std::fmt;

/// How many people of `universe` fall in `category` of `dimension`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineFigure {
    pub dimension: String,
    pub universe: String,
    pub category: String,
    pub count: i32,
}

impl BaselineFigure {
    pub fn new(dimension: &str, universe: &str, category: &str, count: i32) -> Self {
        Self {
            dimension: dimension.to_owned(),
            universe: universe.to_owned(),
            category: category.to_owned(),
            count,
        }
    }
}

/// The figures of one area (a borough or a ward), in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaFigures {
    pub area_code: String,
    pub area_name: String,
    pub figures: Vec<BaselineFigure>,
}

/// A parsed baseline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaselineTable {
    /// `dimension,universe,category,count`: one area, which the file does not name.
    Long(Vec<BaselineFigure>),
    /// ONS bulk table: one row per area; `left_out` lists the columns not imported and why.
    Ons {
        areas: Vec<AreaFigures>,
        left_out: Vec<(String, &'static str)>,
    },
}

/// What is wrong with a baseline file, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TableError {
    pub line: usize,
    pub column: Option<String>,
    pub problem: String,
}

impl TableError {
    fn at(line: usize, column: Option<&str>, problem: impl Into<String>) -> Self {
        Self {
            line,
            column: column.map(str::to_owned),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            // ONS headers carry colons and commas: quote them so the message reads clearly.
            Some(c)
                if c.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ') =>
            {
                write!(f, "line {}, column {c}: {}", self.line, self.problem)
            }
            Some(c) => write!(f, "line {}, column \"{c}\": {}", self.line, self.problem),
            None => write!(f, "line {}: {}", self.line, self.problem),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Leave out ONS columns that are no category we know, instead of failing.
    pub skip_unknown: bool,
}

const LONG_HEADER: [&str; 4] = ["dimension", "universe", "category", "count"];

/// Reads either layout, telling them apart by the header.
pub fn parse_table(text: &str, options: ParseOptions) -> Result<BaselineTable, TableError> {
    let records = read_csv(text)?;
    let Some((header, rows)) = records.split_first() else {
        return Err(TableError::at(1, None, "the file is empty"));
    };
    let names: Vec<String> = header.fields.iter().map(|f| normalise(f)).collect();
    if names.first().map(String::as_str) == Some("dimension") {
        parse_long(header, rows).map(BaselineTable::Long)
    } else if names.iter().any(|n| n == "geography code") {
        parse_ons(header, rows, options)
    } else {
        Err(TableError::at(
            header.line,
            None,
            "not a baseline table: expected the header `dimension,universe,category,count` \
             or an ONS table with `date,geography,geography code,…`",
        ))
    }
}

fn parse_long(header: &Record, rows: &[Record]) -> Result<Vec<BaselineFigure>, TableError> {
    let names: Vec<String> = header.fields.iter().map(|f| normalise(f)).collect();
    if names != LONG_HEADER {
        return Err(TableError::at(
            header.line,
            None,
            format!(
                "expected the header `dimension,universe,category,count`, found `{}`",
                header.fields.join(",")
            ),
        ));
    }
    if rows.is_empty() {
        return Err(TableError::at(
            header.line,
            None,
            "the file has a header but no figures",
        ));
    }
    let mut figures = Vec::with_capacity(rows.len());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut universes: HashMap<String, (String, usize)> = HashMap::new();
    for row in rows {
        if row.fields.len() != LONG_HEADER.len() {
            return Err(TableError::at(
                row.line,
                None,
                format!(
                    "expected 4 fields (dimension,universe,category,count), found {}",
                    row.fields.len()
                ),
            ));
        }
        let mut slugs = [""; 3];
        for (i, slug) in slugs.iter_mut().enumerate() {
            let raw = row.fields[i].trim();
            check_slug(raw).map_err(|p| TableError::at(row.line, Some(LONG_HEADER[i]), p))?;
            *slug = raw;
        }
        let [dimension, universe, category] = slugs;
        let count =
            parse_count(&row.fields[3]).map_err(|p| TableError::at(row.line, Some("count"), p))?;
        if let Some(first) = seen.insert((dimension.into(), category.into()), row.line) {
            return Err(TableError::at(
                row.line,
                Some("category"),
                format!("{dimension}/{category} is already given on line {first}"),
            ));
        }
        match universes.get(dimension) {
            Some((u, line)) if u != universe => {
                return Err(TableError::at(
                    row.line,
                    Some("universe"),
                    format!(
                        "'{universe}' differs from '{u}', the universe of {dimension} on line {line}"
                    ),
                ));
            }
            Some(_) => {}
            None => {
                universes.insert(dimension.into(), (universe.into(), row.line));
            }
        }
        figures.push(BaselineFigure::new(dimension, universe, category, count));
    }
    Ok(figures)
}

/// What an ONS column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OnsColumn {
    Date,
    Geography,
    GeographyCode,
    /// The topic's total: sets the universe of its categories, is not a category.
    Total {
        topic: &'static str,
        universe: String,
    },
    Category {
        topic: &'static str,
        dimension: &'static str,
        category: String,
    },
    /// A finer breakdown of a category we keep (e.g. "limited a lot" under disabled).
    Finer,
    Unknown,
}

fn parse_ons(
    header: &Record,
    rows: &[Record],
    options: ParseOptions,
) -> Result<BaselineTable, TableError> {
    let columns: Vec<OnsColumn> = header.fields.iter().map(|h| ons_column(h)).collect();
    let position = |wanted: &OnsColumn, name: &str| {
        columns
            .iter()
            .position(|c| c == wanted)
            .ok_or_else(|| TableError::at(header.line, None, format!("no `{name}` column")))
    };
    let code_at = position(&OnsColumn::GeographyCode, "geography code")?;
    let name_at = position(&OnsColumn::Geography, "geography")?;

    let mut left_out = Vec::new();
    let mut universes: HashMap<&'static str, String> = HashMap::new();
    let mut mapped: HashMap<(&'static str, String), &str> = HashMap::new();
    for (col, name) in columns.iter().zip(&header.fields) {
        match col {
            OnsColumn::Total { topic, universe } => {
                universes.insert(topic, universe.clone());
            }
            OnsColumn::Category {
                dimension,
                category,
                ..
            } => {
                if let Some(other) = mapped.insert((dimension, category.clone()), name) {
                    return Err(TableError::at(
                        header.line,
                        Some(name),
                        format!("is {dimension}/{category} again (column \"{other}\")"),
                    ));
                }
            }
            OnsColumn::Finer => left_out.push((name.clone(), "a finer breakdown")),
            OnsColumn::Unknown if options.skip_unknown => {
                left_out.push((name.clone(), "not a category hubmatch knows"));
            }
            OnsColumn::Unknown => {
                return Err(TableError::at(
                    header.line,
                    Some(name),
                    "is not a census category hubmatch knows (--skip-unknown leaves such columns out)",
                ));
            }
            OnsColumn::Date | OnsColumn::Geography | OnsColumn::GeographyCode => {}
        }
    }
    if mapped.is_empty() {
        return Err(TableError::at(
            header.line,
            None,
            "no column is a census category hubmatch knows",
        ));
    }
    if rows.is_empty() {
        return Err(TableError::at(
            header.line,
            None,
            "the file has a header but no areas",
        ));
    }

    let mut areas = Vec::with_capacity(rows.len());
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    for row in rows {
        if row.fields.len() != header.fields.len() {
            return Err(TableError::at(
                row.line,
                None,
                format!(
                    "expected {} fields like the header, found {}",
                    header.fields.len(),
                    row.fields.len()
                ),
            ));
        }
        let area_code = row.fields[code_at].trim();
        check_area_code(area_code)
            .map_err(|p| TableError::at(row.line, Some("geography code"), p))?;
        if let Some(first) = seen_codes.insert(area_code.to_owned(), row.line) {
            return Err(TableError::at(
                row.line,
                Some("geography code"),
                format!("{area_code} is already on line {first}"),
            ));
        }
        let area_name = row.fields[name_at].trim();
        if area_name.is_empty() {
            return Err(TableError::at(row.line, Some("geography"), "is empty"));
        }
        let mut figures = Vec::new();
        for ((col, name), raw) in columns.iter().zip(&header.fields).zip(&row.fields) {
            if let OnsColumn::Category {
                topic,
                dimension,
                category,
            } = col
            {
                let count =
                    parse_count(raw).map_err(|p| TableError::at(row.line, Some(name), p))?;
                let universe = universes
                    .get(topic)
                    .cloned()
                    .unwrap_or_else(|| default_universe(topic).to_owned());
                figures.push(BaselineFigure {
                    dimension: (*dimension).to_owned(),
                    universe,
                    category: category.clone(),
                    count,
                });
            }
        }
        areas.push(AreaFigures {
            area_code: area_code.to_owned(),
            area_name: area_name.to_owned(),
            figures,
        });
    }
    Ok(BaselineTable::Ons { areas, left_out })
}

/// ONS topics we read: the header prefix before the first `: `, and the universe
/// when the table has no total column.
const TOPICS: [(&str, &str); 6] = [
    ("sex", "all_usual_residents"),
    ("age", "all_usual_residents"),
    ("ethnic group", "all_usual_residents"),
    ("disability", "all_usual_residents"),
    ("religion", "all_usual_residents"),
    ("sexual orientation", "residents_aged_16_plus"),
];

fn default_universe(topic: &str) -> &'static str {
    TOPICS
        .iter()
        .find(|(t, _)| *t == topic)
        .map(|(_, u)| *u)
        .unwrap_or("all_usual_residents")
}

/// (topic, label after the topic, dimension, category slug), labels normalised.
#[rustfmt::skip]
const CATEGORIES: &[(&str, &str, &str, &str)] = &[
    ("sex", "female", "sex", "female"),
    ("sex", "male", "sex", "male"),
    ("ethnic group", "asian, asian british or asian welsh", "ethnic_group", "asian"),
    ("ethnic group", "asian, asian british or asian welsh: bangladeshi", "ethnicity", "asian_bangladeshi"),
    ("ethnic group", "asian, asian british or asian welsh: chinese", "ethnicity", "asian_chinese"),
    ("ethnic group", "asian, asian british or asian welsh: indian", "ethnicity", "asian_indian"),
    ("ethnic group", "asian, asian british or asian welsh: pakistani", "ethnicity", "asian_pakistani"),
    ("ethnic group", "asian, asian british or asian welsh: other asian", "ethnicity", "asian_other"),
    ("ethnic group", "black, black british, black welsh, caribbean or african", "ethnic_group", "black"),
    ("ethnic group", "black, black british, black welsh, caribbean or african: african", "ethnicity", "black_african"),
    ("ethnic group", "black, black british, black welsh, caribbean or african: caribbean", "ethnicity", "black_caribbean"),
    ("ethnic group", "black, black british, black welsh, caribbean or african: other black", "ethnicity", "black_other"),
    ("ethnic group", "mixed or multiple ethnic groups", "ethnic_group", "mixed"),
    ("ethnic group", "mixed or multiple ethnic groups: white and asian", "ethnicity", "mixed_white_and_asian"),
    ("ethnic group", "mixed or multiple ethnic groups: white and black african", "ethnicity", "mixed_white_and_black_african"),
    ("ethnic group", "mixed or multiple ethnic groups: white and black caribbean", "ethnicity", "mixed_white_and_black_caribbean"),
    ("ethnic group", "mixed or multiple ethnic groups: other mixed or multiple ethnic groups", "ethnicity", "mixed_other"),
    ("ethnic group", "white", "ethnic_group", "white"),
    ("ethnic group", "white: english, welsh, scottish, northern irish or british", "ethnicity", "white_british"),
    ("ethnic group", "white: irish", "ethnicity", "white_irish"),
    ("ethnic group", "white: gypsy or irish traveller", "ethnicity", "white_gypsy_or_irish_traveller"),
    ("ethnic group", "white: roma", "ethnicity", "white_roma"),
    ("ethnic group", "white: other white", "ethnicity", "white_other"),
    ("ethnic group", "other ethnic group", "ethnic_group", "other"),
    ("ethnic group", "other ethnic group: arab", "ethnicity", "other_arab"),
    ("ethnic group", "other ethnic group: any other ethnic group", "ethnicity", "other_any_other"),
    ("disability", "disabled under the equality act", "disability", "disabled"),
    ("disability", "not disabled under the equality act", "disability", "not_disabled"),
    ("religion", "no religion", "religion", "no_religion"),
    ("religion", "christian", "religion", "christian"),
    ("religion", "buddhist", "religion", "buddhist"),
    ("religion", "hindu", "religion", "hindu"),
    ("religion", "jewish", "religion", "jewish"),
    ("religion", "muslim", "religion", "muslim"),
    ("religion", "sikh", "religion", "sikh"),
    ("religion", "other religion", "religion", "other"),
    ("religion", "not answered", "religion", "not_answered"),
    ("sexual orientation", "straight or heterosexual", "sexual_orientation", "straight_or_heterosexual"),
    ("sexual orientation", "gay or lesbian", "sexual_orientation", "gay_or_lesbian"),
    ("sexual orientation", "bisexual", "sexual_orientation", "bisexual"),
    ("sexual orientation", "all other sexual orientations", "sexual_orientation", "other"),
    ("sexual orientation", "other sexual orientation", "sexual_orientation", "other"),
    ("sexual orientation", "not answered", "sexual_orientation", "not_answered"),
];

/// Topics whose sub-categories (`<category>: <detail>`) we leave out rather than reject.
const FINER_BREAKDOWNS: [&str; 1] = ["disability"];

fn ons_column(header: &str) -> OnsColumn {
    let name = normalise(header);
    match name.as_str() {
        "date" => return OnsColumn::Date,
        "geography" => return OnsColumn::Geography,
        "geography code" => return OnsColumn::GeographyCode,
        _ => {}
    }
    // Nomis bulk files end each header with "; measures: Value" (counts, not percentages).
    let name = name.strip_suffix("; measures: value").unwrap_or(&name);
    let Some((topic_text, label)) = name.split_once(": ") else {
        return OnsColumn::Unknown;
    };
    let Some(&(topic, _)) = TOPICS.iter().find(|(t, _)| *t == topic_text) else {
        return OnsColumn::Unknown;
    };
    if let Some(universe) = total_universe(topic, label) {
        return OnsColumn::Total { topic, universe };
    }
    if let Some(&(_, _, dimension, category)) = CATEGORIES
        .iter()
        .find(|(t, l, _, _)| *t == topic && *l == label)
    {
        return OnsColumn::Category {
            topic,
            dimension,
            category: category.to_owned(),
        };
    }
    if topic == "age"
        && let Some(category) = age_5yr(label)
    {
        return OnsColumn::Category {
            topic,
            dimension: "age_5yr",
            category,
        };
    }
    if FINER_BREAKDOWNS.contains(&topic)
        && let Some((parent, _)) = label.split_once(": ")
        && CATEGORIES
            .iter()
            .any(|(t, l, _, _)| *t == topic && *l == parent)
    {
        return OnsColumn::Finer;
    }
    OnsColumn::Unknown
}

/// The universe a total column names: `Total: All usual residents aged 16 years and over`
/// is `residents_aged_16_plus`; `All persons` and a bare `Total` are the topic's default.
fn total_universe(topic: &str, label: &str) -> Option<String> {
    let rest = match label {
        "total" | "all persons" => return Some(default_universe(topic).to_owned()),
        _ => label.strip_prefix("total: ")?,
    };
    if rest == "all usual residents" || rest == "all persons" {
        return Some("all_usual_residents".to_owned());
    }
    if let Some(age) = rest
        .strip_prefix("all usual residents aged ")
        .and_then(|r| r.strip_suffix(" years and over"))
        .filter(|a| a.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(format!("residents_aged_{age}_plus"));
    }
    Some(slugify(rest))
}

/// `aged 4 years and under` → `0-4`, `aged 5 to 9 years` → `5-9`, `aged 85 years and over` → `85+`.
fn age_5yr(label: &str) -> Option<String> {
    let rest = label.strip_prefix("aged ")?;
    if rest == "4 years and under" {
        return Some("0-4".to_owned());
    }
    if let Some(from) = rest.strip_suffix(" years and over") {
        let from: u32 = from.parse().ok()?;
        return from.is_multiple_of(5).then(|| format!("{from}+"));
    }
    let (from, to) = rest.strip_suffix(" years")?.split_once(" to ")?;
    let (from, to): (u32, u32) = (from.parse().ok()?, to.parse().ok()?);
    (from.is_multiple_of(5) && to == from + 4).then(|| format!("{from}-{to}"))
}

fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    slug.trim_end_matches('_').to_owned()
}

/// Lower case, trimmed, runs of white space made one space: how headers are compared.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A count: a whole number from 0 to i32::MAX, written plainly.
pub fn parse_count(raw: &str) -> Result<i32, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("is empty; expected a whole number".to_owned());
    }
    if let Some(digits) = text.strip_prefix('-')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("'{text}' is negative; a count is 0 or more"));
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("'{text}' is not a whole number"));
    }
    text.parse::<i32>()
        .map_err(|_| format!("'{text}' is too large (at most {})", i32::MAX))
}

/// Dimension, universe and category slugs: lower-case letters, digits, `_`, `-` and `+`
/// (`15-24`, `65+`, `black_african`).
pub fn check_slug(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty".to_owned());
    }
    if text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '+'))
    {
        Ok(())
    } else {
        Err(format!(
            "'{text}' is not a slug (lower-case letters, digits, '_', '-' and '+')"
        ))
    }
}

/// An ONS area code: letters and digits, e.g. E09000028 or E05011095.
pub fn check_area_code(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty".to_owned());
    }
    if text.len() <= 20 && text.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format!("'{text}' is not an ONS area code (e.g. E09000028)"))
    }
}

/// Checks the figures of one area before they are written: slugs, counts, no category
/// twice, one universe per dimension.
pub fn check_area(area: &AreaFigures) -> Result<(), String> {
    let code = &area.area_code;
    check_area_code(code).map_err(|p| format!("area code {p}"))?;
    if area.area_name.trim().is_empty() {
        return Err(format!("area {code}: the name is empty"));
    }
    if area.figures.is_empty() {
        return Err(format!("area {code}: no figures"));
    }
    let mut seen = HashMap::new();
    let mut universes: HashMap<&str, &str> = HashMap::new();
    for f in &area.figures {
        for (what, slug) in [
            ("dimension", &f.dimension),
            ("universe", &f.universe),
            ("category", &f.category),
        ] {
            check_slug(slug).map_err(|p| format!("area {code}: {what} {p}"))?;
        }
        if f.count < 0 {
            return Err(format!(
                "area {code}: {}/{} has a negative count",
                f.dimension, f.category
            ));
        }
        if seen.insert((&f.dimension, &f.category), ()).is_some() {
            return Err(format!(
                "area {code}: {}/{} is given twice",
                f.dimension, f.category
            ));
        }
        if *universes.entry(&f.dimension).or_insert(&f.universe) != f.universe {
            return Err(format!("area {code}: {} has two universes", f.dimension));
        }
    }
    Ok(())
}

/// Which areas of a parsed table to import. The long layout names no area, so
/// `area_code` and `area_name` are needed; an ONS table names its own, and
/// `area_code` then picks one of them.
pub fn areas_to_import(
    table: BaselineTable,
    area_code: Option<&str>,
    area_name: Option<&str>,
) -> Result<Vec<AreaFigures>, String> {
    match table {
        BaselineTable::Long(figures) => {
            let (Some(code), Some(name)) = (area_code, area_name) else {
                return Err(
                    "a `dimension,universe,category,count` file does not say which area \
                            it describes: pass --area-code and --area-name"
                        .to_owned(),
                );
            };
            check_area_code(code.trim()).map_err(|p| format!("--area-code {p}"))?;
            if name.trim().is_empty() {
                return Err("--area-name is empty".to_owned());
            }
            Ok(vec![AreaFigures {
                area_code: code.trim().to_owned(),
                area_name: name.trim().to_owned(),
                figures,
            }])
        }
        BaselineTable::Ons { areas, .. } => {
            if area_name.is_some() {
                return Err(
                    "--area-name is for the long layout; an ONS table names its areas".to_owned(),
                );
            }
            match area_code {
                None => Ok(areas),
                Some(code) => {
                    let picked: Vec<AreaFigures> = areas
                        .into_iter()
                        .filter(|a| a.area_code == code.trim())
                        .collect();
                    if picked.is_empty() {
                        Err(format!("area {} is not in the file", code.trim()))
                    } else {
                        Ok(picked)
                    }
                }
            }
        }
    }
}

/// One CSV record and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// RFC 4180 CSV: fields in double quotes may hold commas, line breaks and doubled
/// quotes; CRLF or LF line ends; a leading byte-order mark (ONS files have one) is
/// dropped; blank lines are skipped.
fn read_csv(text: &str) -> Result<Vec<Record>, TableError> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut state = State::FieldStart;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();

    let mut end_record = |fields: &mut Vec<String>, field: &mut String, record_line: usize| {
        fields.push(std::mem::take(field));
        let blank = fields.len() == 1 && fields[0].trim().is_empty();
        let fields = std::mem::take(fields);
        if !blank {
            records.push(Record {
                line: record_line,
                fields,
            });
        }
    };

    while let Some(c) = chars.next() {
        match state {
            State::Quoted => match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => state = State::AfterQuote,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            },
            _ => match c {
                '"' if state == State::FieldStart => state = State::Quoted,
                '"' if state == State::Unquoted => {
                    return Err(TableError::at(
                        line,
                        None,
                        "a quote inside an unquoted field (quote the whole field and double the quote)",
                    ));
                }
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    state = State::FieldStart;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    end_record(&mut fields, &mut field, record_line);
                    line += 1;
                    record_line = line;
                    state = State::FieldStart;
                }
                c if state == State::AfterQuote => {
                    return Err(TableError::at(
                        line,
                        None,
                        format!(
                            "'{c}' after a closing quote (a quoted field ends at a comma or the line end)"
                        ),
                    ));
                }
                c => {
                    field.push(c);
                    state = State::Unquoted;
                }
            },
        }
    }
    if state == State::Quoted {
        return Err(TableError::at(
            record_line,
            None,
            "a quoted field is never closed",
        ));
    }
    end_record(&mut fields, &mut field, record_line);
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ONS_WARDS: &str = include_str!("../../tests/fixtures/baseline_ons_wards.csv");
    const LONG: &str = include_str!("../../tests/fixtures/baseline_long.csv");

    fn err(text: &str) -> String {
        parse_table(text, ParseOptions::default())
            .unwrap_err()
            .to_string()
    }

    fn fields(text: &str) -> Vec<Vec<String>> {
        read_csv(text)
            .unwrap()
            .into_iter()
            .map(|r| r.fields)
            .collect()
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let text = "\u{feff}a,\"b, c\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",,x\n";
        assert_eq!(
            fields(text),
            vec![vec!["a", "b, c", "say \"hi\""], vec!["two\nlines", "", "x"]]
        );
        let lines: Vec<usize> = read_csv("h\n\n\"a\nb\"\nc")
            .unwrap()
            .iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(
            lines,
            [1, 3, 5],
            "records are numbered by the line they start on"
        );
    }

    #[test]
    fn malformed_quoting_is_an_error_on_its_line() {
        assert_eq!(
            read_csv("a,b\nc,\"d\ne").unwrap_err().to_string(),
            "line 2: a quoted field is never closed"
        );
        assert!(
            read_csv("a\nb\"c\n")
                .unwrap_err()
                .to_string()
                .starts_with("line 2: a quote inside an unquoted field")
        );
        assert!(
            read_csv("a\n\"b\"c\n")
                .unwrap_err()
                .to_string()
                .starts_with("line 2: 'c' after a closing quote")
        );
    }

    proptest! {
        #[test]
        fn any_fields_written_as_csv_read_back(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z ,\"\n\r:+-]{0,8}", 1..5), 1..5)) {
            let text: String = rows.iter().map(|r| {
                r.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect::<Vec<_>>().join(",") + "\r\n"
            }).collect();
            let read = fields(&text);
            let expected: Vec<Vec<String>> = rows.into_iter().filter(|r| !(r.len() == 1 && r[0].trim().is_empty())).collect();
            prop_assert_eq!(read, expected);
        }
    }

    #[test]
    fn the_long_layout_reads_each_figure() {
        let BaselineTable::Long(figures) = parse_table(LONG, ParseOptions::default()).unwrap()
        else {
            panic!("long layout expected")
        };
        assert_eq!(figures.len(), 6);
        assert_eq!(
            figures[0],
            BaselineFigure::new("sex", "all_usual_residents", "female", 7812)
        );
        assert_eq!(figures[5].category, "not_answered");
    }

    #[test]
    fn long_layout_errors_name_the_line_and_column() {
        let head = "dimension,universe,category,count\n";
        let bad =
            format!("{head}sex,all_usual_residents,female,1\nsex,all_usual_residents,male,abc\n");
        assert_eq!(
            err(&bad),
            "line 3, column count: 'abc' is not a whole number"
        );
        assert_eq!(
            err(&format!("{head}sex,all_usual_residents,female,-3\n")),
            "line 2, column count: '-3' is negative; a count is 0 or more"
        );
        assert_eq!(
            err(&format!(
                "{head}sex,all_usual_residents,female,99999999999\n"
            )),
            "line 2, column count: '99999999999' is too large (at most 2147483647)"
        );
        assert_eq!(
            err(&format!("{head}sex,all_usual_residents,Black African,3\n")),
            "line 2, column category: 'Black African' is not a slug (lower-case letters, digits, '_', '-' and '+')"
        );
        assert_eq!(
            err(&format!("{head}sex,all_usual_residents,female\n")),
            "line 2: expected 4 fields (dimension,universe,category,count), found 3"
        );
        assert_eq!(
            err(&format!(
                "{head}sex,all_usual_residents,female,1\n\nsex,all_usual_residents,female,2\n"
            )),
            "line 4, column category: sex/female is already given on line 2"
        );
        assert_eq!(
            err(&format!(
                "{head}sex,all_usual_residents,female,1\nsex,residents_aged_16_plus,male,2\n"
            )),
            "line 3, column universe: 'residents_aged_16_plus' differs from 'all_usual_residents', the universe of sex on line 2"
        );
        assert_eq!(err(head), "line 1: the file has a header but no figures");
        assert_eq!(err(""), "line 1: the file is empty");
        assert!(err("dimension,category,count\n").starts_with("line 1: expected the header"));
        assert!(err("name,value\n").starts_with("line 1: not a baseline table"));
    }

    #[test]
    fn the_ons_layout_reads_every_area_with_both_ethnic_group_dimensions() {
        let BaselineTable::Ons { areas, left_out } =
            parse_table(ONS_WARDS, ParseOptions::default()).unwrap()
        else {
            panic!("ONS layout expected")
        };
        assert!(left_out.is_empty());
        assert_eq!(areas.len(), 2);
        let peckham = &areas[1];
        assert_eq!(
            (peckham.area_code.as_str(), peckham.area_name.as_str()),
            ("E05011110", "Peckham")
        );
        assert_eq!(peckham.figures.len(), 5 + 19);
        let get = |dim: &str, cat: &str| {
            peckham
                .figures
                .iter()
                .find(|f| f.dimension == dim && f.category == cat)
                .unwrap_or_else(|| panic!("{dim}/{cat}"))
        };
        assert_eq!(get("ethnic_group", "black").count, 5720);
        assert_eq!(get("ethnicity", "white_british").count, 2550);
        assert_eq!(get("ethnicity", "other_any_other").count, 410);
        assert!(
            peckham
                .figures
                .iter()
                .all(|f| f.universe == "all_usual_residents")
        );
    }

    #[test]
    fn ons_headers_map_to_our_slugs() {
        let text = "date,geography,geography code,\
            Sex: All persons; measures: Value,Sex: Female; measures: Value,Sex: Male; measures: Value,\
            Disability: Total: All usual residents,Disability: Disabled under the Equality Act,\
            Disability: Disabled under the Equality Act: Day-to-day activities limited a lot,\
            Disability: Not disabled under the Equality Act,\
            Religion: Total: All usual residents,Religion: No religion,Religion: Other religion,Religion: Not answered,\
            Sexual orientation: Total: All usual residents aged 16 years and over,Sexual orientation: Bisexual,\
            Age: Total,Age: Aged 4 years and under,Age: Aged 20 to 24 years,Age: Aged 85 years and over\n\
            2021,Southwark,E09000028,10,6,4,10,3,1,7,10,5,2,3,8,1,10,2,3,5\n";
        let BaselineTable::Ons { areas, left_out } =
            parse_table(text, ParseOptions::default()).unwrap()
        else {
            panic!("ONS layout expected")
        };
        let got: Vec<(&str, &str, &str, i32)> = areas[0]
            .figures
            .iter()
            .map(|f| {
                (
                    f.dimension.as_str(),
                    f.universe.as_str(),
                    f.category.as_str(),
                    f.count,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("sex", "all_usual_residents", "female", 6),
                ("sex", "all_usual_residents", "male", 4),
                ("disability", "all_usual_residents", "disabled", 3),
                ("disability", "all_usual_residents", "not_disabled", 7),
                ("religion", "all_usual_residents", "no_religion", 5),
                ("religion", "all_usual_residents", "other", 2),
                ("religion", "all_usual_residents", "not_answered", 3),
                (
                    "sexual_orientation",
                    "residents_aged_16_plus",
                    "bisexual",
                    1
                ),
                ("age_5yr", "all_usual_residents", "0-4", 2),
                ("age_5yr", "all_usual_residents", "20-24", 3),
                ("age_5yr", "all_usual_residents", "85+", 5),
            ]
        );
        assert_eq!(
            left_out,
            vec![(
                "Disability: Disabled under the Equality Act: Day-to-day activities limited a lot"
                    .to_owned(),
                "a finer breakdown"
            )]
        );
    }

    #[test]
    fn unknown_ons_columns_are_an_error_naming_them_unless_skipped() {
        let text = "date,geography,geography code,Ethnic group: White,\"Ethnic group: Martian, or Venusian\"\n\
                    2021,Peckham,E05011110,10,2\n";
        assert_eq!(
            err(text),
            "line 1, column \"Ethnic group: Martian, or Venusian\": is not a census category \
             hubmatch knows (--skip-unknown leaves such columns out)"
        );
        let table = parse_table(text, ParseOptions { skip_unknown: true }).unwrap();
        let BaselineTable::Ons { areas, left_out } = table else {
            panic!("ONS layout expected")
        };
        assert_eq!(
            areas[0].figures,
            vec![BaselineFigure::new(
                "ethnic_group",
                "all_usual_residents",
                "white",
                10
            )]
        );
        assert_eq!(left_out[0].0, "Ethnic group: Martian, or Venusian");
    }

    #[test]
    fn ons_row_errors_name_the_line_and_column() {
        let head = "date,geography,geography code,Sex: Female,Sex: Male\n";
        assert_eq!(
            err(&format!(
                "{head}2021,Peckham,E05011110,10,2\n2021,Rye Lane,E05011113,x,2\n"
            )),
            "line 3, column \"Sex: Female\": 'x' is not a whole number"
        );
        assert_eq!(
            err(&format!("{head}2021,Peckham,E05011110,10\n")),
            "line 2: expected 5 fields like the header, found 4"
        );
        assert_eq!(
            err(&format!(
                "{head}2021,Peckham,E05011110,1,2\n2021,Peckham again,E05011110,1,2\n"
            )),
            "line 3, column geography code: E05011110 is already on line 2"
        );
        assert_eq!(
            err(&format!("{head}2021,Peckham,,1,2\n")),
            "line 2, column geography code: is empty"
        );
        assert_eq!(
            err("date,geography,geography code,Sex: Female,Sex: female\n2021,P,E05011110,1,2\n"),
            "line 1, column \"Sex: female\": is sex/female again (column \"Sex: Female\")"
        );
        assert_eq!(
            err("date,geography,geography code\n"),
            "line 1: no column is a census category hubmatch knows"
        );
        assert_eq!(
            err("date,geography code,Sex: Female\n"),
            "line 1: no `geography` column"
        );
    }

    #[test]
    fn the_long_layout_needs_an_area_and_an_ons_table_can_be_narrowed_to_one() {
        let long = parse_table(LONG, ParseOptions::default()).unwrap();
        assert!(
            areas_to_import(long.clone(), Some("E05011110"), None)
                .unwrap_err()
                .contains("--area-name")
        );
        let areas = areas_to_import(long, Some("E05011110"), Some("Peckham")).unwrap();
        assert_eq!(areas[0].area_code, "E05011110");

        let ons = parse_table(ONS_WARDS, ParseOptions::default()).unwrap();
        assert_eq!(areas_to_import(ons.clone(), None, None).unwrap().len(), 2);
        let picked = areas_to_import(ons.clone(), Some("E05011110"), None).unwrap();
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].area_name, "Peckham");
        assert_eq!(
            areas_to_import(ons.clone(), Some("E09000028"), None).unwrap_err(),
            "area E09000028 is not in the file"
        );
        assert!(areas_to_import(ons, None, Some("Peckham")).is_err());
    }

    #[test]
    fn an_area_is_checked_before_it_is_written() {
        let area = |figures| AreaFigures {
            area_code: "E05011110".into(),
            area_name: "Peckham".into(),
            figures,
        };
        let f = |cat: &str, n| BaselineFigure::new("sex", "all_usual_residents", cat, n);
        assert!(check_area(&area(vec![f("female", 1), f("male", 0)])).is_ok());
        assert!(
            check_area(&area(vec![f("female", -1)]))
                .unwrap_err()
                .contains("negative")
        );
        assert!(
            check_area(&area(vec![f("female", 1), f("female", 2)]))
                .unwrap_err()
                .contains("twice")
        );
        assert!(check_area(&area(vec![])).is_err());
        let mut other = f("male", 1);
        other.universe = "residents_aged_16_plus".into();
        assert!(
            check_area(&area(vec![f("female", 1), other]))
                .unwrap_err()
                .contains("two universes")
        );
    }
}
