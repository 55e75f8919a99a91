//! The built-in layouts (announcement, newsletter, course launch): table-based HTML with inline
//! styles, which reads well in Gmail, Outlook and Apple Mail. Each carries the footer with the
//! postal address and the unsubscribe link.

use minijinja::Environment;

use crate::campaign::Layout;

const ANNOUNCEMENT: &str = include_str!("layouts/announcement.html");
const NEWSLETTER: &str = include_str!("layouts/newsletter.html");
const COURSE_LAUNCH: &str = include_str!("layouts/course_launch.html");
const PREHEADER: &str = include_str!("layouts/preheader.part.html");
const FOOTER: &str = include_str!("layouts/footer.part.html");

/// Adds `layout.html` (the chosen layout) and its parts to `env`. The layouts are ours and
/// tested, so a failure here is a bug, not an author's error.
pub fn add(env: &mut Environment<'static>, layout: Layout) {
    let source = match layout {
        Layout::Announcement => ANNOUNCEMENT,
        Layout::Newsletter => NEWSLETTER,
        Layout::CourseLaunch => COURSE_LAUNCH,
    };
    env.add_template("layout.html", source).expect("built-in layout compiles");
    env.add_template("preheader.part.html", PREHEADER).expect("built-in part compiles");
    env.add_template("footer.part.html", FOOTER).expect("built-in part compiles");
}
