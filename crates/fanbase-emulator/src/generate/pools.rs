//! The word pools the generator draws names, emails and fan details from.

pub const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloe", "Diego", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kai", "Lena", "Marco", "Nina",
    "Omar", "Paula", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno",
    "Carla", "Dev",
];

pub const LAST_NAMES: &[&str] = &[
    "Lopez", "Smith", "Nguyen", "Müller", "Rossi", "Kim", "Okafor", "Silva", "Novak", "Haddad", "Jensen", "Moreau",
    "Tanaka", "Costa", "Ivanova", "Brown", "Garcia", "Schmidt", "Dubois", "Khan", "Petrov", "Santos", "Wright",
    "Fischer", "Ali", "Larsen", "Rivera", "Cohen", "Yilmaz", "Evans",
];

pub const DOMAINS: &[&str] =
    &["example.com", "mail.example", "fans.example", "studio.example", "beats.example", "inbox.example"];

pub const STORE_NAMES: &[&str] =
    &["Beat Lab Academy", "Mix Masters", "Synth School", "Vocal Booth", "Drum Dojo", "Mastering Room"];

pub const TAGS: &[&str] = &[
    "beginner",
    "mixing",
    "mastering",
    "vip",
    "newsletter",
    "sound-design",
    "ableton",
    "fl-studio",
    "logic",
    "webinar",
];

pub const SOURCES: &[&str] = &["activecampaign_import", "lead_magnet", "course_enrollment", "webinar_signup", "manual"];

pub const DAWS: &[&str] = &["Ableton Live", "FL Studio", "Logic Pro", "Pro Tools", "Cubase", "Bitwig Studio"];

pub const GENRES: &[&str] = &["Hip-Hop", "House", "Techno", "Pop", "Trap", "Lo-fi", "R&B", "Drum & Bass"];

pub const LEVELS: &[&str] = &["Beginner", "Intermediate", "Advanced"];
