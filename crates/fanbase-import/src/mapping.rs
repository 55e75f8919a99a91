//! Which tool made the file (recognised by its header) and what each column becomes: a field, the
//! tags, a custom field, JSON attributes, a suppression marker. Headers match case-, space- and
//! punctuation-insensitively, through synonyms; `--map 'Header=target'` overrides any of them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::field::Field;
use crate::{Error, Result};

/// The tool that exported the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Activecampaign,
    Mailchimp,
    Kit,
    Mautic,
    Listmonk,
    /// A file written by `fanbase export`.
    Fanbase,
    /// Any sheet with an email column.
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Activecampaign => "activecampaign",
            Format::Mailchimp => "mailchimp",
            Format::Kit => "kit",
            Format::Mautic => "mautic",
            Format::Listmonk => "listmonk",
            Format::Fanbase => "fanbase",
            Format::Csv => "csv",
        }
    }

    /// The `source` given to the contacts this import creates (unless the file has a source).
    pub fn source(self) -> String {
        format!("{}_import", self.name())
    }

    /// What separates tags inside one cell.
    pub fn tag_separators(self) -> &'static [&'static str] {
        match self {
            Format::Mautic => &["|"],
            Format::Activecampaign => &["||", ","],
            _ => &[","],
        }
    }

    /// ActiveCampaign writes multi-value custom fields as `a||b`: kept as a JSON array.
    pub fn multi_value_separator(self) -> Option<&'static str> {
        (self == Format::Activecampaign).then_some("||")
    }

    /// Recognises the tool from the header row.
    pub fn detect(headers: &[String]) -> Format {
        let raw: HashSet<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
        let norm: HashSet<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let any_raw = |names: &[&str]| names.iter().any(|n| raw.contains(*n));
        let any_norm = |names: &[&str]| names.iter().any(|n| norm.contains(*n));
        if norm.contains("attributes") {
            Format::Listmonk
        } else if norm.contains("emailaddress")
            && any_norm(&[
                "memberrating",
                "optintime",
                "confirmtime",
                "lastchanged",
                "leid",
                "euid",
                "unsubtime",
                "cleantime",
            ])
        {
            Format::Mailchimp
        } else if raw.contains("custom") && raw.contains("type_of_music") && raw.contains("email") {
            Format::Fanbase
        } else if any_raw(&["firstname", "lastname", "date_identified", "date_added", "points", "last_active"]) {
            Format::Mautic
        } else if any_raw(&["email_address"]) || (raw.contains("first_name") && raw.contains("email")) {
            Format::Kit
        } else if norm.contains("email") && any_norm(&["datecreated", "dateupdated", "organization", "contactid"]) {
            Format::Activecampaign
        } else {
            Format::Csv
        }
    }
}

/// What one column becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Target {
    Email,
    Field(Field),
    Tags,
    /// A custom field named after the column's header.
    Custom,
    /// A JSON object whose keys become custom fields (listmonk's `attributes`, the export's `custom`).
    Attributes,
    /// A non-blank cell marks the contact unsubscribed (Mailchimp's UNSUB_TIME); the text is kept too.
    UnsubscribedAt,
    /// A non-blank cell marks the contact bounced (Mailchimp's CLEAN_TIME); the text is kept too.
    CleanedAt,
    /// Not imported (chosen explicitly, or the reason column of a rejected-rows file).
    Ignore,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Email => "email",
            Target::Field(f) => f.name(),
            Target::Tags => "tags",
            Target::Custom => "custom",
            Target::Attributes => "attributes",
            Target::UnsubscribedAt => "unsubscribed_at",
            Target::CleanedAt => "cleaned_at",
            Target::Ignore => "ignore",
        }
    }

    pub fn parse(name: &str) -> Result<Target> {
        let n = name.trim().to_lowercase();
        let target = match n.as_str() {
            "email" => Target::Email,
            "tags" => Target::Tags,
            "custom" => Target::Custom,
            "attributes" => Target::Attributes,
            "unsubscribed_at" => Target::UnsubscribedAt,
            "cleaned_at" => Target::CleanedAt,
            "ignore" => Target::Ignore,
            other => Target::Field(Field::from_name(other).ok_or_else(|| {
                Error::Mapping(format!("{name:?} is not a field; use one of: {}", Target::all_names().join(", ")))
            })?),
        };
        Ok(target)
    }

    /// Every target name, for help texts and the mapping editor.
    pub fn all_names() -> Vec<&'static str> {
        let mut names = vec!["email"];
        names.extend(crate::field::FIELDS.iter().map(|f| f.name()));
        names.extend(["tags", "custom", "attributes", "unsubscribed_at", "cleaned_at", "ignore"]);
        names
    }

    /// Custom fields and ignored columns may repeat; every other target takes one column.
    fn single(self) -> bool {
        !matches!(self, Target::Custom | Target::Ignore)
    }
}

impl From<Target> for String {
    fn from(t: Target) -> String {
        t.name().to_string()
    }
}

impl TryFrom<String> for Target {
    type Error = Error;
    fn try_from(s: String) -> Result<Target> {
        Target::parse(&s)
    }
}

/// A `--map 'Header=target'` override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapOverride {
    pub header: String,
    pub target: Target,
}

impl MapOverride {
    /// Parses `Header=target`.
    pub fn parse(text: &str) -> Result<MapOverride> {
        let (header, target) = text
            .rsplit_once('=')
            .ok_or_else(|| Error::Mapping(format!("{text:?} is not Header=field, e.g. 'E-mail=email'")))?;
        Ok(MapOverride { header: header.trim().to_string(), target: Target::parse(target)? })
    }
}

/// One column of the file and what it becomes. `key` is the custom field name it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub header: String,
    pub target: Target,
    #[serde(skip)]
    pub key: String,
}

/// A header as compared: lower case, letters and digits only (`E-Mail Address` = `emailaddress`).
pub fn normalize_header(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The reason column that `rejected_csv` adds; a re-import ignores it.
pub const REJECT_REASON_HEADER: &str = "fanbase_rejected_reason";

fn synonym(norm: &str, format: Format) -> Option<Target> {
    use Field::*;
    let field = |f| Some(Target::Field(f));
    match norm {
        "email" | "emailaddress" | "mail" | "emailaddr" | "subscriberemail" | "contactemail" | "primaryemail" => {
            Some(Target::Email)
        }
        "name" | "fullname" | "contactname" | "subscribername" | "displayname" => field(Name),
        "firstname" | "first" | "givenname" | "fname" | "forename" => field(FirstName),
        "lastname" | "last" | "surname" | "familyname" | "lname" => field(LastName),
        "phone" | "phonenumber" | "mobile" | "mobilephone" | "mobilenumber" | "telephone" | "tel" | "cellphone" => {
            field(Phone)
        }
        "tags" | "tag" | "labels" => Some(Target::Tags),
        "type" | "contacttype" | "customertype" | "fantype" => field(Type),
        "status" | "subscriptionstatus" | "emailstatus" | "subscriberstatus" | "memberstatus" => field(Status),
        "state" if format == Format::Kit => field(Status),
        "source" | "leadsource" | "signupsource" => field(Source),
        "score" | "leadscore" | "points" => field(Score),
        "daw" => field(Daw),
        "typeofmusic" | "genre" | "musicgenre" | "musictype" => field(TypeOfMusic),
        "studentlevel" | "level" | "skilllevel" => field(StudentLevel),
        "opensemail" | "opensemails" | "opens" => field(OpensEmail),
        "clickslinks" | "clicks" => field(ClicksLinks),
        "lastopendate" | "lastopen" | "lastopened" | "lastopenedat" => field(LastOpenDate),
        "totalspent" | "spent" | "ltv" | "lifetimevalue" | "totalrevenue" | "revenue" => field(TotalSpent),
        "createdat" | "datecreated" | "created" | "createddate" | "dateadded" | "optintime" | "subscribedat"
        | "signupdate" | "datesubscribed" => field(CreatedAt),
        "unsubtime" | "unsubscribedat" | "dateunsubscribed" => Some(Target::UnsubscribedAt),
        "cleantime" | "cleanedat" => Some(Target::CleanedAt),
        "attributes" | "custom" => Some(Target::Attributes),
        "fanbaserejectedreason" => Some(Target::Ignore),
        _ => None,
    }
}

/// Maps every header: overrides first, then synonyms. A second column for a field that is
/// already taken becomes a custom field. Fails if no column is the email.
pub fn build(headers: &[String], format: Format, overrides: &[MapOverride]) -> Result<Vec<Column>> {
    let norms: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut chosen: Vec<Option<Target>> = vec![None; headers.len()];
    let mut taken: HashSet<Target> = HashSet::new();
    for o in overrides {
        let want = normalize_header(&o.header);
        let i = norms.iter().position(|n| *n == want).ok_or_else(|| {
            Error::Mapping(format!("the file has no column {:?}; its columns are: {}", o.header, headers.join(", ")))
        })?;
        if o.target.single() && !taken.insert(o.target) {
            return Err(Error::Mapping(format!("two columns are mapped to {}", o.target.name())));
        }
        chosen[i] = Some(o.target);
    }
    for (i, norm) in norms.iter().enumerate() {
        if chosen[i].is_some() {
            continue;
        }
        let target = match synonym(norm, format) {
            Some(t) if !t.single() || taken.insert(t) => t,
            _ => Target::Custom,
        };
        chosen[i] = Some(target);
    }
    if !taken.contains(&Target::Email) {
        return Err(Error::NoEmailColumn { columns: headers.join(", "), headers: headers.to_vec() });
    }
    let mut keys: HashSet<String> = HashSet::new();
    let columns = headers
        .iter()
        .zip(chosen)
        .enumerate()
        .map(|(i, (header, target))| {
            let base = if header.trim().is_empty() { format!("column {}", i + 1) } else { header.trim().to_string() };
            let mut key = base.clone();
            let mut n = 2;
            while !keys.insert(key.clone()) {
                key = format!("{base} ({n})");
                n += 1;
            }
            Column { header: header.clone(), target: target.expect("every column is mapped"), key }
        })
        .collect();
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn formats_are_recognised_by_their_headers() {
        for (h, f) in [
            ("Email,First Name,Last Name,Phone,Tags,Date Created,Date Updated,DAW", Format::Activecampaign),
            ("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,LEID,EUID,TAGS", Format::Mailchimp),
            ("Email Address,First Name,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE", Format::Mailchimp),
            ("email_address,first_name,created_at,tags", Format::Kit),
            ("id,firstname,lastname,email,points,tags", Format::Mautic),
            ("email,name,attributes", Format::Listmonk),
            ("email,name,first_name,type_of_music,tags,custom", Format::Fanbase),
            ("Mail,Vorname", Format::Csv),
        ] {
            assert_eq!(Format::detect(&headers(h)), f, "{h}");
        }
    }

    #[test]
    fn synonyms_match_whatever_the_case_and_spacing() {
        let cols = build(&headers(" E-Mail ,FIRST_NAME,Type Of Music,Organization"), Format::Csv, &[]).unwrap();
        let targets: Vec<_> = cols.iter().map(|c| c.target).collect();
        assert_eq!(
            targets,
            [Target::Email, Target::Field(Field::FirstName), Target::Field(Field::TypeOfMusic), Target::Custom]
        );
        assert_eq!(cols[3].key, "Organization", "a custom field is named after its header");
    }

    #[test]
    fn a_second_column_for_the_same_field_becomes_custom() {
        let cols = build(&headers("email,phone,mobile,Notes,Notes"), Format::Mautic, &[]).unwrap();
        assert_eq!(cols[2].target, Target::Custom, "mobile comes after phone");
        assert_eq!((cols[3].key.as_str(), cols[4].key.as_str()), ("Notes", "Notes (2)"));
    }

    #[test]
    fn overrides_win_and_are_checked() {
        let o = [MapOverride::parse("Correo = email").unwrap(), MapOverride::parse("email=custom").unwrap()];
        let cols = build(&headers("email,Correo"), Format::Csv, &o).unwrap();
        assert_eq!((cols[0].target, cols[1].target), (Target::Custom, Target::Email));
        assert!(matches!(
            build(&headers("email"), Format::Csv, &[MapOverride::parse("Nope=email").unwrap()]),
            Err(Error::Mapping(_))
        ));
        assert!(matches!(MapOverride::parse("a=bogus"), Err(Error::Mapping(_))));
        assert!(matches!(build(&headers("name,phone"), Format::Csv, &[]), Err(Error::NoEmailColumn { .. })));
    }
}
