//! Whose book is open, as the header shows it on every screen: the person's name, birth year and
//! a colour of their own.
//!
//! On a shared tablet the worst mistake is writing into, or reading out, the previous patient's
//! book. Name and birth year say who it is; the colour makes a change of person visible at a
//! glance, before anyone reads a word. The colour is derived from the citizen ID alone, so the same
//! person gets the same colour on every device and after every reload, with nothing stored.
//!
//! The colour is a background for white text, so every colour in the palette keeps a WCAG 2.x
//! contrast ratio of at least 4.5:1 (level AA for normal text) with white. It is never the only cue:
//! the name and birth year are always written next to it.

use crate::{CitizenId, Profile};

/// How many distinct colours people get: hues 30 degrees apart, which stay tellable apart by most
/// people (12 is about the most a glance separates reliably). Two people share a colour about one
/// time in twelve, so the name and birth year stay the authority.
pub const IDENTITY_HUES: u8 = 12;

/// WCAG 2.x AA minimum for normal-size text.
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// What the header shows of the open book.
#[derive(Debug, Clone, PartialEq)]
pub struct BookIdentity {
    pub full_name: String,
    pub birth_year: i32,
    pub colour: IdentityColour,
}

impl BookIdentity {
    pub fn of(profile: &Profile) -> BookIdentity {
        BookIdentity {
            full_name: profile.full_name.clone(),
            birth_year: profile.date_of_birth.year(),
            colour: IdentityColour::for_citizen(&profile.citizen_id),
        }
    }
}

/// A person's colour: one of [`IDENTITY_HUES`] backgrounds, with the text colour to write on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityColour {
    /// Which of the palette's hues (0..IDENTITY_HUES): stable, so tests and styles can name it.
    pub hue_index: u8,
    pub background: Rgb,
    pub text: Rgb,
}

impl IdentityColour {
    /// The colour of the person with this citizen ID.
    ///
    /// The hash must never change between versions (a person's colour would change under a
    /// nurse who learnt it), so it is written out here (FNV-1a, then a finaliser that spreads the
    /// last digits' influence over all bits) rather than taken from `std`, whose hasher may change.
    /// All twelve digits count: the first six (province, century and sex, birth year) are shared by
    /// neighbours of the same age, so they alone would give a whole village the same colour.
    pub fn for_citizen(id: &CitizenId) -> IdentityColour {
        let mut hash: u32 = 0x811c_9dc5;
        for byte in id.as_str().bytes() {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        hash ^= hash >> 16;
        hash = hash.wrapping_mul(0x85eb_ca6b);
        hash ^= hash >> 13;
        hash = hash.wrapping_mul(0xc2b2_ae35);
        hash ^= hash >> 16;
        // The remainder is below IDENTITY_HUES, so it fits a u8.
        Self::from_hue_index((hash % u32::from(IDENTITY_HUES)) as u8)
    }

    /// The palette entry `hue_index` (taken modulo [`IDENTITY_HUES`]).
    pub fn from_hue_index(hue_index: u8) -> IdentityColour {
        let hue_index = hue_index % IDENTITY_HUES;
        let hue = f64::from(hue_index) * 360.0 / f64::from(IDENTITY_HUES);
        IdentityColour {
            hue_index,
            background: darkest_needed(hue),
            text: Rgb::WHITE,
        }
    }

    /// The WCAG contrast ratio of the text on the background.
    pub fn contrast(&self) -> f64 {
        self.background.contrast_with(self.text)
    }
}

/// Saturation of every background: strong enough to tell hues apart, not so loud it alarms.
const SATURATION: f64 = 0.70;
/// A little above the AA minimum, so rounding to 8-bit channels can never fall below it.
const TARGET_CONTRAST: f64 = MIN_TEXT_CONTRAST + 0.2;

/// The lightest colour of this hue on which white text still reaches [`TARGET_CONTRAST`]: light
/// hues (yellow, cyan) need a much darker shade than blue does, and the lightest shade that
/// passes keeps the hues as different from each other as contrast allows.
fn darkest_needed(hue: f64) -> Rgb {
    // Lightness from 55% down in 1% steps; 10% is dark enough for any hue.
    (10..=55)
        .rev()
        .map(|l| Rgb::from_hsl(hue, SATURATION, f64::from(l) / 100.0))
        .find(|c| c.contrast_with(Rgb::WHITE) >= TARGET_CONTRAST)
        .unwrap_or(Rgb::BLACK)
}

/// An sRGB colour with 8-bit channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const WHITE: Rgb = Rgb {
        r: 255,
        g: 255,
        b: 255,
    };
    pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };

    /// `hue` in degrees, `saturation` and `lightness` from 0 to 1 (CSS `hsl()`).
    pub fn from_hsl(hue: f64, saturation: f64, lightness: f64) -> Rgb {
        let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
        let h = hue.rem_euclid(360.0) / 60.0;
        let x = chroma * (1.0 - (h % 2.0 - 1.0).abs());
        let (r, g, b) = match h as u32 {
            0 => (chroma, x, 0.0),
            1 => (x, chroma, 0.0),
            2 => (0.0, chroma, x),
            3 => (0.0, x, chroma),
            4 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        let m = lightness - chroma / 2.0;
        let channel = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
        Rgb {
            r: channel(r),
            g: channel(g),
            b: channel(b),
        }
    }

    /// CSS hex notation, `#rrggbb`.
    pub fn css(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// WCAG 2.x relative luminance.
    pub fn relative_luminance(&self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// WCAG 2.x contrast ratio, from 1 (none) to 21 (black on white).
    pub fn contrast_with(&self, other: Rgb) -> f64 {
        let (a, b) = (self.relative_luminance(), other.relative_luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};

    fn id(s: &str) -> CitizenId {
        CitizenId::parse(s).unwrap()
    }

    /// Deterministic well-formed IDs: the first six digits shared (neighbours of one age in one
    /// province), the last six counting up, as a commune's cards often do.
    fn neighbours(n: u32) -> Vec<CitizenId> {
        (0..n).map(|i| id(&format!("001090{i:06}"))).collect()
    }

    #[test]
    fn every_colour_passes_wcag_aa_for_its_text() {
        for i in 0..IDENTITY_HUES {
            let colour = IdentityColour::from_hue_index(i);
            assert!(
                colour.contrast() >= MIN_TEXT_CONTRAST,
                "hue {i} ({}) has contrast {:.2}",
                colour.background.css(),
                colour.contrast()
            );
        }
    }

    #[test]
    fn the_palette_has_twelve_different_colours_far_enough_apart() {
        let colours: Vec<Rgb> = (0..IDENTITY_HUES)
            .map(|i| IdentityColour::from_hue_index(i).background)
            .collect();
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let distance = (f64::from(a.r) - f64::from(b.r)).powi(2)
                    + (f64::from(a.g) - f64::from(b.g)).powi(2)
                    + (f64::from(a.b) - f64::from(b.b)).powi(2);
                assert!(
                    distance.sqrt() > 20.0,
                    "{} and {} are too alike",
                    a.css(),
                    b.css()
                );
            }
        }
    }

    #[test]
    fn the_same_person_always_gets_the_same_colour() {
        // Pinned: a change here changes the colour people have learnt for themselves.
        assert_eq!(
            IdentityColour::for_citizen(&id("001090123456")),
            IdentityColour::for_citizen(&id("001 090 123 456"))
        );
        let pinned: Vec<u8> = ["001090123456", "079185000001", "031201004567"]
            .iter()
            .map(|s| IdentityColour::for_citizen(&id(s)).hue_index)
            .collect();
        assert_eq!(pinned, PINNED_HUES);
        assert_eq!(
            IdentityColour::from_hue_index(0).background.css(),
            "#da2f2f"
        );
        assert_eq!(
            IdentityColour::from_hue_index(7).background.css(),
            "#2375c7"
        );
    }

    const PINNED_HUES: [u8; 3] = [11, 3, 5];

    #[test]
    fn different_people_get_different_colours_in_most_cases() {
        let ids = neighbours(1200);
        let hues: Vec<u8> = ids
            .iter()
            .map(|i| IdentityColour::for_citizen(i).hue_index)
            .collect();
        // Patients seen one after the other: a repeat should be about 1 in 12.
        let repeats = hues.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(
            repeats * 100 < hues.len() * 13,
            "{repeats} of {} neighbours share a colour",
            hues.len()
        );
        // Every hue is used, none much more than its share (1/12 = 100 of 1200).
        for hue in 0..IDENTITY_HUES {
            let n = hues.iter().filter(|&&h| h == hue).count();
            assert!((60..=140).contains(&n), "hue {hue} used {n} times");
        }
    }

    #[test]
    fn the_identity_names_the_person_and_their_birth_year() {
        let profile = generate::profile(7, &BookShape::adult_with_history(30));
        let identity = BookIdentity::of(&profile);
        assert_eq!(identity.full_name, profile.full_name);
        assert_eq!(identity.birth_year, profile.date_of_birth.year());
        assert_eq!(
            identity.colour,
            IdentityColour::for_citizen(&profile.citizen_id)
        );
    }

    #[test]
    fn hsl_conversion_matches_css() {
        assert_eq!(Rgb::from_hsl(0.0, 1.0, 0.5).css(), "#ff0000");
        assert_eq!(Rgb::from_hsl(120.0, 1.0, 0.25).css(), "#008000");
        assert_eq!(Rgb::from_hsl(240.0, 1.0, 0.5).css(), "#0000ff");
        assert!((Rgb::BLACK.contrast_with(Rgb::WHITE) - 21.0).abs() < 1e-9);
    }
}
