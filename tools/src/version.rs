//! The ABI version rule, once for the whole tool: a bridge's ABI version is `major << 16 |
//! minor` of its package version, its compatibility series is the major from 1.0 on and
//! major.minor while the major is 0, and bindings accept a library of their series (from 1.0
//! on, at least as new). The ABI machinery ([`crate::abi`]: SONAME, version node, baselines)
//! and every backend's runtime handshake read it from here.
//!
//! The bridge crate states the same rule twice more, and must: `lode-ffi`'s `abi_version_of`
//! is a `const fn` so `ABI_VERSION` is computed at compile time inside the library, and its
//! build script derives the series the SONAME names before anything is linked; neither may
//! depend on this tool (the library ships without it). `tools/tests/abi_handshake.rs` checks
//! that the library's number equals [`AbiVersion::of`] of its version, so the copies cannot
//! drift apart unnoticed.

use std::fmt;

/// A bridge's ABI version: the major and minor of its package version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AbiVersion {
    pub major: u16,
    pub minor: u16,
}

impl AbiVersion {
    /// From a package version such as `0.1.0` (pre-release and build suffixes are ignored).
    pub fn of(version: &str) -> AbiVersion {
        let semver = Semver::parse(version).unwrap_or_default();
        AbiVersion {
            major: semver.major as u16,
            minor: semver.minor as u16,
        }
    }

    /// From the number the library reports (`major << 16 | minor`).
    pub fn from_packed(packed: u32) -> AbiVersion {
        AbiVersion {
            major: (packed >> 16) as u16,
            minor: (packed & 0xffff) as u16,
        }
    }

    /// The number the library reports and the bindings compare: `major << 16 | minor`.
    pub fn packed(self) -> u32 {
        u32::from(self.major) << 16 | u32::from(self.minor)
    }

    /// The compatibility series: `0.1` while the major is 0, else the major alone (`1`).
    pub fn series(self) -> String {
        if self.major == 0 {
            format!("0.{}", self.minor)
        } else {
            self.major.to_string()
        }
    }

    /// Whether bindings generated for `self` may use a library reporting `library`: same
    /// series, and from 1.0 on a library at least as new (it may have added functions).
    pub fn accepts(self, library: AbiVersion) -> bool {
        if self.major == 0 {
            self == library
        } else {
            self.major == library.major && library.minor >= self.minor
        }
    }
}

impl fmt::Display for AbiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A package version, enough of semver for ordering baselines and judging bumps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Semver {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Semver {
    pub fn parse(text: &str) -> Option<Semver> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some(Semver {
            major,
            minor,
            patch,
        })
    }

    pub fn abi(self) -> AbiVersion {
        AbiVersion {
            major: self.major as u16,
            minor: self.minor as u16,
        }
    }
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abi_versions_follow_semver() {
        let v01 = AbiVersion::of("0.1.3");
        assert_eq!(v01.packed(), 1);
        assert_eq!(AbiVersion::from_packed(1), v01);
        assert_eq!(v01.series(), "0.1");
        assert!(v01.accepts(AbiVersion::of("0.1.0")));
        assert!(!v01.accepts(AbiVersion::of("0.2.0")));
        let v12 = AbiVersion::of("1.2.0");
        assert_eq!(v12.packed(), 0x0001_0002);
        assert_eq!(v12.series(), "1");
        assert!(v12.accepts(AbiVersion::of("1.3.0")));
        assert!(!v12.accepts(AbiVersion::of("1.1.0")));
        assert!(!v12.accepts(AbiVersion::of("2.2.0")));
    }

    #[test]
    fn semver_orders_versions() {
        let a = Semver::parse("0.9.1").unwrap();
        let b = Semver::parse("0.10.0").unwrap();
        assert!(a < b);
        assert_eq!(Semver::parse("1.0.0-rc.1").unwrap().to_string(), "1.0.0");
    }
}
