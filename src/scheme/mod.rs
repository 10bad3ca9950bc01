//! Stored hash schemes: recognising a string, parsing it, bounding its costs and verifying it.
//!
//! Each submodule is one scheme family with the same four steps: `parse` reads the string
//! strictly and does no hashing, `check_limits` compares every cost with the policy's bounds,
//! `verify` computes and compares in constant time, and `upgrade_reasons` lists why the hash is
//! below policy. Adding a format means adding a module and one arm in each match below.

pub(crate) mod argon2;
pub(crate) mod bcrypt;
pub(crate) mod compose;
pub(crate) mod crypt;
pub(crate) mod digest;
pub(crate) mod django;
pub(crate) mod keyed;
pub(crate) mod kratos;
pub(crate) mod ldap;
pub(crate) mod legacy;
pub(crate) mod membership;
pub(crate) mod normalized;
pub(crate) mod pbkdf2;
pub(crate) mod php;
pub(crate) mod scrypt;
pub(crate) mod transcode;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use zeroize::Zeroizing;

use crate::policy::{Argon2Target, Limits};
use crate::{Error, UpgradeReason};

/// The scheme of a stored hash: an algorithm together with its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemeKind {
    /// Argon2id PHC string.
    Argon2id,
    /// Argon2i PHC string.
    Argon2i,
    /// Argon2d PHC string.
    Argon2d,
    /// bcrypt modular crypt string (`$2a$`, `$2b$`, `$2y$`).
    Bcrypt,
    /// Unsalted MD5 digest.
    Md5,
    /// Unsalted SHA-1 digest.
    Sha1,
    /// Unsalted SHA-256 digest.
    Sha256,
    /// Unsalted SHA-512 digest.
    Sha512,
    /// Logto's `Legacy` JSON recipe.
    LogtoLegacy,
    /// pwmigrate's `$pwm-digest$` salted digest.
    SaltedDigest,
    /// pwmigrate's `$pwm-hmac$` keyed digest.
    Hmac,
    /// PHC `$pbkdf2-sha1$i=..,l=..$...`.
    Pbkdf2Sha1,
    /// PHC `$pbkdf2-sha256$i=..,l=..$...`.
    Pbkdf2Sha256,
    /// PHC `$pbkdf2-sha512$i=..,l=..$...`.
    Pbkdf2Sha512,
    /// passlib `$pbkdf2$<rounds>$...` (HMAC-SHA1).
    PasslibPbkdf2Sha1,
    /// passlib `$pbkdf2-sha256$<rounds>$...`.
    PasslibPbkdf2Sha256,
    /// passlib `$pbkdf2-sha512$<rounds>$...`.
    PasslibPbkdf2Sha512,
    /// Django `pbkdf2_sha1$...`.
    DjangoPbkdf2Sha1,
    /// Django `pbkdf2_sha256$...`.
    DjangoPbkdf2Sha256,
    /// Werkzeug `pbkdf2:<digest>:<iterations>$...`.
    WerkzeugPbkdf2,
    /// Atlassian `{PKCS5S2}...`.
    AtlassianPbkdf2,
    /// ASP.NET Identity version 2 base64 blob.
    AspNetIdentityV2,
    /// ASP.NET Identity version 3 base64 blob.
    AspNetIdentityV3,
    /// defuse/password-hashing `algorithm:iterations[:size]:salt:key`.
    DefusePbkdf2,
    /// ASP.NET SQL Membership `<hash>|1|<salt>` with SHA-1.
    AspNetMembershipSha1,
    /// Ory Kratos `$md5$...`.
    KratosMd5,
    /// Ory Kratos `$sha1$pf=...`.
    KratosSha1,
    /// Ory Kratos `$sha256$pf=...`.
    KratosSha256,
    /// Ory Kratos `$sha512$pf=...`.
    KratosSha512,
    /// LDAP `{MD5}`.
    LdapMd5,
    /// LDAP `{SMD5}`.
    LdapSmd5,
    /// LDAP `{SHA}`.
    LdapSha,
    /// LDAP `{SSHA}`.
    LdapSsha,
    /// LDAP `{SSHA256}`.
    LdapSsha256,
    /// LDAP `{SSHA384}`.
    LdapSsha384,
    /// LDAP `{SSHA512}`.
    LdapSsha512,
    /// md5-crypt `$1$`.
    Md5Crypt,
    /// Apache md5-crypt `$apr1$`.
    Apr1Crypt,
    /// sha256-crypt `$5$`.
    Sha256Crypt,
    /// sha512-crypt `$6$`.
    Sha512Crypt,
    /// phpass `$P$` or `$H$`.
    Phpass,
    /// Drupal 7 `$S$`.
    Drupal7,
    /// Drupal 7 `U$S$`, over the md5 hex of the password.
    Drupal7Md5,
    /// WordPress 6.8 `$wp$2y$`.
    WordPressBcrypt,
    /// Django `md5$<salt>$<hex>`.
    DjangoMd5,
    /// Django `sha1$<salt>$<hex>`.
    DjangoSha1,
    /// Django `bcrypt$`.
    DjangoBcrypt,
    /// Django `bcrypt_sha256$`.
    DjangoBcryptSha256,
    /// Django `argon2$`.
    DjangoArgon2,
    /// passlib `$bcrypt-sha256$v=2`.
    PasslibBcryptSha256,
    /// MySQL 4.1+ `*<40 hex>`.
    Mysql41,
    /// Joomla 1.5 to 3.x `<md5 hex>:<salt>`.
    JoomlaMd5,
    /// `$scrypt$ln=..,r=..,p=..$...`.
    Scrypt,
    /// Django `scrypt$...`.
    DjangoScrypt,
    /// Werkzeug `scrypt:N:r:p$...`.
    WerkzeugScrypt,
    /// pwmigrate's `$pwm-compose$` nested recipe, such as vBulletin's `md5(md5(p).salt)`.
    Composed,
}

impl SchemeKind {
    /// Returns the scheme's name as `identify` prints it.
    pub fn name(self) -> &'static str {
        match self {
            SchemeKind::Argon2id => "argon2id",
            SchemeKind::Argon2i => "argon2i",
            SchemeKind::Argon2d => "argon2d",
            SchemeKind::Bcrypt => "bcrypt",
            SchemeKind::Md5 => "md5",
            SchemeKind::Sha1 => "sha1",
            SchemeKind::Sha256 => "sha256",
            SchemeKind::Sha512 => "sha512",
            SchemeKind::LogtoLegacy => "logto-legacy",
            SchemeKind::SaltedDigest => "salted-digest",
            SchemeKind::Hmac => "hmac",
            SchemeKind::Pbkdf2Sha1 => "pbkdf2-sha1",
            SchemeKind::Pbkdf2Sha256 => "pbkdf2-sha256",
            SchemeKind::Pbkdf2Sha512 => "pbkdf2-sha512",
            SchemeKind::PasslibPbkdf2Sha1 => "passlib-pbkdf2-sha1",
            SchemeKind::PasslibPbkdf2Sha256 => "passlib-pbkdf2-sha256",
            SchemeKind::PasslibPbkdf2Sha512 => "passlib-pbkdf2-sha512",
            SchemeKind::DjangoPbkdf2Sha1 => "django-pbkdf2-sha1",
            SchemeKind::DjangoPbkdf2Sha256 => "django-pbkdf2-sha256",
            SchemeKind::WerkzeugPbkdf2 => "werkzeug-pbkdf2",
            SchemeKind::AtlassianPbkdf2 => "atlassian-pbkdf2",
            SchemeKind::AspNetIdentityV2 => "aspnet-identity-v2",
            SchemeKind::AspNetIdentityV3 => "aspnet-identity-v3",
            SchemeKind::DefusePbkdf2 => "defuse-pbkdf2",
            SchemeKind::AspNetMembershipSha1 => "aspnet-membership-sha1",
            SchemeKind::KratosMd5 => "kratos-md5",
            SchemeKind::KratosSha1 => "kratos-sha1",
            SchemeKind::KratosSha256 => "kratos-sha256",
            SchemeKind::KratosSha512 => "kratos-sha512",
            SchemeKind::LdapMd5 => "ldap-md5",
            SchemeKind::LdapSmd5 => "ldap-smd5",
            SchemeKind::LdapSha => "ldap-sha",
            SchemeKind::LdapSsha => "ldap-ssha",
            SchemeKind::LdapSsha256 => "ldap-ssha256",
            SchemeKind::LdapSsha384 => "ldap-ssha384",
            SchemeKind::LdapSsha512 => "ldap-ssha512",
            SchemeKind::Md5Crypt => "md5-crypt",
            SchemeKind::Apr1Crypt => "apr1-crypt",
            SchemeKind::Sha256Crypt => "sha256-crypt",
            SchemeKind::Sha512Crypt => "sha512-crypt",
            SchemeKind::Phpass => "phpass",
            SchemeKind::Drupal7 => "drupal7",
            SchemeKind::Drupal7Md5 => "drupal7-md5",
            SchemeKind::WordPressBcrypt => "wordpress-bcrypt",
            SchemeKind::DjangoMd5 => "django-md5",
            SchemeKind::DjangoSha1 => "django-sha1",
            SchemeKind::DjangoBcrypt => "django-bcrypt",
            SchemeKind::DjangoBcryptSha256 => "django-bcrypt-sha256",
            SchemeKind::DjangoArgon2 => "django-argon2",
            SchemeKind::PasslibBcryptSha256 => "passlib-bcrypt-sha256",
            SchemeKind::Mysql41 => "mysql41",
            SchemeKind::JoomlaMd5 => "joomla-md5",
            SchemeKind::Scrypt => "scrypt",
            SchemeKind::DjangoScrypt => "django-scrypt",
            SchemeKind::WerkzeugScrypt => "werkzeug-scrypt",
            SchemeKind::Composed => "composed",
        }
    }
}

impl SchemeKind {
    /// Every scheme, in the order `identify` documentation lists them.
    // NOTE: this list is kept by hand. A variant missing here is unknown to declared scheme names
    // and `from_name`, and the `all_kinds_round_trip` test checks only the listed ones.
    pub const ALL: [SchemeKind; 56] = [
        SchemeKind::Argon2id,
        SchemeKind::Argon2i,
        SchemeKind::Argon2d,
        SchemeKind::Bcrypt,
        SchemeKind::Md5,
        SchemeKind::Sha1,
        SchemeKind::Sha256,
        SchemeKind::Sha512,
        SchemeKind::LogtoLegacy,
        SchemeKind::SaltedDigest,
        SchemeKind::Hmac,
        SchemeKind::Pbkdf2Sha1,
        SchemeKind::Pbkdf2Sha256,
        SchemeKind::Pbkdf2Sha512,
        SchemeKind::PasslibPbkdf2Sha1,
        SchemeKind::PasslibPbkdf2Sha256,
        SchemeKind::PasslibPbkdf2Sha512,
        SchemeKind::DjangoPbkdf2Sha1,
        SchemeKind::DjangoPbkdf2Sha256,
        SchemeKind::WerkzeugPbkdf2,
        SchemeKind::AtlassianPbkdf2,
        SchemeKind::AspNetIdentityV2,
        SchemeKind::AspNetIdentityV3,
        SchemeKind::DefusePbkdf2,
        SchemeKind::AspNetMembershipSha1,
        SchemeKind::KratosMd5,
        SchemeKind::KratosSha1,
        SchemeKind::KratosSha256,
        SchemeKind::KratosSha512,
        SchemeKind::LdapMd5,
        SchemeKind::LdapSmd5,
        SchemeKind::LdapSha,
        SchemeKind::LdapSsha,
        SchemeKind::LdapSsha256,
        SchemeKind::LdapSsha384,
        SchemeKind::LdapSsha512,
        SchemeKind::Md5Crypt,
        SchemeKind::Apr1Crypt,
        SchemeKind::Sha256Crypt,
        SchemeKind::Sha512Crypt,
        SchemeKind::Phpass,
        SchemeKind::Drupal7,
        SchemeKind::Drupal7Md5,
        SchemeKind::WordPressBcrypt,
        SchemeKind::DjangoMd5,
        SchemeKind::DjangoSha1,
        SchemeKind::DjangoBcrypt,
        SchemeKind::DjangoBcryptSha256,
        SchemeKind::DjangoArgon2,
        SchemeKind::PasslibBcryptSha256,
        SchemeKind::Mysql41,
        SchemeKind::JoomlaMd5,
        SchemeKind::Scrypt,
        SchemeKind::DjangoScrypt,
        SchemeKind::WerkzeugScrypt,
        SchemeKind::Composed,
    ];

    /// Looks a scheme up by the name `identify` prints.
    pub fn from_name(name: &str) -> Option<SchemeKind> {
        SchemeKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for SchemeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A declared hashing method, spelled as Logto's `passwordAlgorithm` spells it.
///
/// A declared method fixes how the stored string is read, so a 32-character hex string declared
/// `SHA1` is a [`Error::WrongDigestLength`] rather than an MD5 digest. The Argon2 methods accept
/// any Argon2 variant and take the variant from the string, as Logto does: the variant is an input
/// to the hash, so only the string's own variant can verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `MD5`: unsalted MD5 digest, hex or base64.
    Md5,
    /// `SHA1`: unsalted SHA-1 digest, hex or base64.
    Sha1,
    /// `SHA256`: unsalted SHA-256 digest, hex or base64.
    Sha256,
    /// `SHA512`: unsalted SHA-512 digest, hex or base64. Not a Logto name.
    Sha512,
    /// `Bcrypt`: bcrypt modular crypt string.
    Bcrypt,
    /// `Argon2i`: Argon2 PHC string.
    Argon2i,
    /// `Argon2id`: Argon2 PHC string.
    Argon2id,
    /// `Argon2d`: Argon2 PHC string.
    Argon2d,
    /// `Legacy`: Logto's JSON recipe `[algorithm, [args...], expected]`.
    Legacy,
}

impl Method {
    /// Every method with its spelling, in the order help text lists them.
    pub const ALL: [(&'static str, Method); 9] = [
        ("MD5", Method::Md5),
        ("SHA1", Method::Sha1),
        ("SHA256", Method::Sha256),
        ("SHA512", Method::Sha512),
        ("Bcrypt", Method::Bcrypt),
        ("Argon2i", Method::Argon2i),
        ("Argon2id", Method::Argon2id),
        ("Argon2d", Method::Argon2d),
        ("Legacy", Method::Legacy),
    ];

    /// Returns the method's spelling.
    pub fn name(self) -> &'static str {
        Method::ALL
            .iter()
            .find(|(_, method)| *method == self)
            .map_or("unknown", |(name, _)| name)
    }
}

impl FromStr for Method {
    type Err = Error;

    /// Parses a method name, case-sensitively as Logto does.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .iter()
            .find(|(spelling, _)| *spelling == name)
            .map(|(_, method)| *method)
            .ok_or_else(|| {
                let names: Vec<&str> = Method::ALL.iter().map(|(spelling, _)| *spelling).collect();
                Error::UnsupportedScheme {
                    detail: format!(
                        "unknown method {:?}; expected one of {}",
                        truncate(name, 32),
                        names.join(", ")
                    ),
                }
            })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed stored hash. Parsing does no hashing and checks no policy bound.
#[derive(Clone, Debug)]
pub(crate) enum Scheme {
    Argon2(argon2::Argon2Hash),
    Bcrypt(bcrypt::BcryptHash),
    Digest(digest::BareDigest),
    Legacy(legacy::LegacyHash),
    Keyed(keyed::KeyedDigest),
    Pbkdf2(pbkdf2::Pbkdf2Hash),
    Ldap(ldap::LdapHash),
    Crypt(crypt::CryptHash),
    Portable(php::PortableHash),
    WordPress(php::WordPressHash),
    Wrapped(django::Wrapped),
    Scrypt(scrypt::ScryptHash),
    Normalized(normalized::Normalization, Box<Scheme>),
    Joomla(php::JoomlaHash),
    Kratos(kratos::KratosDigest),
    Membership(membership::MembershipHash),
    Composed(compose::ComposedHash),
    Transcoded(transcode::SourceEncoding, Box<Scheme>),
}

/// HMAC keys by key id, given to the verifier and never written into a stored hash.
#[derive(Clone, Default)]
pub(crate) struct Keys(HashMap<String, Zeroizing<Vec<u8>>>);

impl Keys {
    pub(crate) fn insert(&mut self, id: String, key: Vec<u8>) {
        self.0.insert(id, Zeroizing::new(key));
    }

    pub(crate) fn get(&self, id: &str) -> Option<&[u8]> {
        self.0.get(id).map(|key| key.as_slice())
    }

    pub(crate) fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.0.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys").field("ids", &self.ids()).finish()
    }
}

/// Verify settings besides the password: the keys, whether to wipe Argon2's memory, and the
/// pool that supplies it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Context<'a> {
    pub(crate) keys: &'a Keys,
    pub(crate) wipe_argon2_memory: bool,
    pub(crate) pool: &'a crate::memory_pool::MemoryPool,
}

impl Scheme {
    /// Reads `stored` as the declared method, or recognises its scheme from its shape.
    ///
    /// Without a method, `$argon2` opens an Argon2 PHC string, `$2` or a `{bcrypt}` prefix opens
    /// bcrypt, `[` opens a Logto `Legacy` recipe, and `$pwm-digest$` or `$pwm-hmac$` opens
    /// pwmigrate's salted and keyed digests. Anything else must be a bare digest, which is
    /// read by its length.
    pub(crate) fn parse(stored: &str, method: Option<Method>) -> Result<Scheme, Error> {
        if let Some((form, inner)) = normalized::split(stored) {
            normalized::check_inner(inner)?;
            let inner = Scheme::parse(inner, method)?;
            return Ok(Scheme::Normalized(form, Box::new(inner)));
        }
        if let Some((encoding, inner)) = transcode::split(stored) {
            transcode::check_inner(inner)?;
            let inner = Scheme::parse(inner, method)?;
            transcode::check_scheme(encoding, inner.kind())?;
            return Ok(Scheme::Transcoded(encoding, Box::new(inner)));
        }
        match method {
            Some(Method::Md5) => {
                digest::parse_declared(stored, SchemeKind::Md5).map(Scheme::Digest)
            }
            Some(Method::Sha1) => {
                digest::parse_declared(stored, SchemeKind::Sha1).map(Scheme::Digest)
            }
            Some(Method::Sha256) => {
                digest::parse_declared(stored, SchemeKind::Sha256).map(Scheme::Digest)
            }
            Some(Method::Sha512) => {
                digest::parse_declared(stored, SchemeKind::Sha512).map(Scheme::Digest)
            }
            Some(Method::Bcrypt) => bcrypt::parse(stored).map(Scheme::Bcrypt),
            Some(Method::Argon2i | Method::Argon2id | Method::Argon2d) => {
                argon2::parse(stored).map(Scheme::Argon2)
            }
            Some(Method::Legacy) => legacy::parse(stored).map(Scheme::Legacy),
            None => Scheme::recognise(stored),
        }
    }

    fn recognise(stored: &str) -> Result<Scheme, Error> {
        if stored.starts_with("$argon2") {
            return argon2::parse(stored).map(Scheme::Argon2);
        }
        if bcrypt::looks_like(stored) {
            return bcrypt::parse(stored).map(Scheme::Bcrypt);
        }
        if stored.starts_with('[') {
            return legacy::parse(stored).map(Scheme::Legacy);
        }
        if keyed::looks_like(stored) {
            return keyed::parse(stored).map(Scheme::Keyed);
        }
        if compose::looks_like(stored) {
            return compose::parse(stored).map(Scheme::Composed);
        }
        if pbkdf2::looks_like(stored) {
            return pbkdf2::parse(stored).map(Scheme::Pbkdf2);
        }
        if crypt::looks_like(stored) {
            return crypt::parse(stored).map(Scheme::Crypt);
        }
        if kratos::looks_like(stored) {
            return kratos::parse(stored).map(Scheme::Kratos);
        }
        if php::looks_like(stored) {
            return php::parse(stored).map(Scheme::Portable);
        }
        if scrypt::looks_like(stored) {
            return scrypt::parse(stored).map(Scheme::Scrypt);
        }
        if php::looks_like_wordpress(stored) {
            return php::parse_wordpress(stored).map(Scheme::WordPress);
        }
        if django::looks_like(stored) {
            return django::parse(stored).map(Scheme::Wrapped);
        }
        if php::looks_like_joomla(stored) {
            return php::parse_joomla(stored).map(Scheme::Joomla);
        }
        if ldap::looks_like(stored) {
            return ldap::parse(stored).map(Scheme::Ldap);
        }
        if membership::looks_like(stored) {
            return membership::parse(stored).map(Scheme::Membership);
        }
        // A consistent ASP.NET Identity header wins over a bare base64 digest of the same text.
        if let Some(found) = pbkdf2::recognise_aspnet(stored) {
            return found.map(Scheme::Pbkdf2);
        }
        if let Some(found) = digest::recognise(stored) {
            return Ok(Scheme::Digest(found));
        }
        if keyed::looks_like_postgres(stored) {
            return Err(Error::UnsupportedScheme {
                detail: "a PostgreSQL md5 password needs its user name; rewrite it with \
                         postgres_md5 or import it with the user name as the salt column"
                    .to_string(),
            });
        }
        unrecognised(stored)
    }

    /// Returns the scheme that recognition without a method would pick for a string that
    /// already parsed under a declared method, without decoding it again.
    pub(crate) fn recognised_kind(stored: &str) -> Option<SchemeKind> {
        let kind = if let Some(rest) = stored.strip_prefix("$argon2") {
            match rest.split('$').next() {
                Some("id") => SchemeKind::Argon2id,
                Some("i") => SchemeKind::Argon2i,
                Some("d") => SchemeKind::Argon2d,
                _ => return None,
            }
        } else if bcrypt::looks_like(stored) {
            SchemeKind::Bcrypt
        } else if stored.starts_with('[') {
            SchemeKind::LogtoLegacy
        } else if keyed::looks_like(stored) {
            return keyed::parse(stored).ok().map(|hash| hash.kind());
        } else if compose::looks_like(stored) {
            SchemeKind::Composed
        } else if pbkdf2::looks_like(stored) {
            return pbkdf2::parse(stored).ok().map(|hash| hash.kind());
        } else if crypt::looks_like(stored) {
            return crypt::parse(stored).ok().map(|hash| hash.kind());
        } else if kratos::looks_like(stored) {
            return kratos::parse(stored).ok().map(|hash| hash.kind());
        } else if php::looks_like(stored) {
            return php::parse(stored).ok().map(|hash| hash.kind());
        } else if scrypt::looks_like(stored) {
            return scrypt::parse(stored).ok().map(|hash| hash.kind());
        } else if php::looks_like_wordpress(stored) {
            SchemeKind::WordPressBcrypt
        } else if django::looks_like(stored) {
            return django::parse(stored).ok().map(|hash| hash.kind());
        } else if php::looks_like_joomla(stored) {
            SchemeKind::JoomlaMd5
        } else if ldap::looks_like(stored) {
            return ldap::parse(stored).ok().map(|hash| hash.kind());
        } else if membership::looks_like(stored) {
            SchemeKind::AspNetMembershipSha1
        } else if let Some(found) = pbkdf2::recognise_aspnet(stored) {
            return found.ok().map(|hash| hash.kind());
        } else {
            return digest::recognise(stored).map(|found| found.kind());
        };
        Some(kind)
    }

    pub(crate) fn kind(&self) -> SchemeKind {
        match self {
            Scheme::Argon2(hash) => hash.kind(),
            Scheme::Bcrypt(_) => SchemeKind::Bcrypt,
            Scheme::Digest(digest) => digest.kind(),
            Scheme::Legacy(_) => SchemeKind::LogtoLegacy,
            Scheme::Keyed(hash) => hash.kind(),
            Scheme::Pbkdf2(hash) => hash.kind(),
            Scheme::Ldap(hash) => hash.kind(),
            Scheme::Crypt(hash) => hash.kind(),
            Scheme::Portable(hash) => hash.kind(),
            Scheme::WordPress(_) => SchemeKind::WordPressBcrypt,
            Scheme::Wrapped(hash) => hash.kind(),
            Scheme::Scrypt(hash) => hash.kind(),
            Scheme::Normalized(_, inner) => inner.kind(),
            Scheme::Joomla(_) => SchemeKind::JoomlaMd5,
            Scheme::Kratos(hash) => hash.kind(),
            Scheme::Membership(_) => SchemeKind::AspNetMembershipSha1,
            Scheme::Composed(hash) => hash.kind(),
            Scheme::Transcoded(_, inner) => inner.kind(),
        }
    }

    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        match self {
            Scheme::Argon2(hash) => hash.check_limits(limits),
            Scheme::Bcrypt(hash) => hash.check_limits(limits),
            Scheme::Digest(_) | Scheme::Ldap(_) => Ok(()),
            Scheme::Keyed(hash) => hash.check_limits(limits),
            Scheme::Pbkdf2(hash) => hash.check_limits(limits),
            Scheme::Crypt(hash) => hash.check_limits(limits),
            Scheme::Portable(hash) => hash.check_limits(limits),
            Scheme::WordPress(hash) => hash.check_limits(limits),
            Scheme::Wrapped(hash) => hash.check_limits(limits),
            Scheme::Scrypt(hash) => hash.check_limits(limits),
            Scheme::Normalized(_, inner) => inner.check_limits(limits),
            Scheme::Joomla(_) | Scheme::Kratos(_) | Scheme::Membership(_) => Ok(()),
            Scheme::Legacy(hash) => hash.check_limits(limits),
            Scheme::Composed(hash) => hash.check_limits(limits),
            Scheme::Transcoded(_, inner) => inner.check_limits(limits),
        }
    }

    /// Checks the password; `Ok(false)` is a wrong password, never an error.
    pub(crate) fn verify(&self, password: &[u8], context: &Context<'_>) -> Result<bool, Error> {
        match self {
            Scheme::Argon2(hash) => {
                hash.verify(password, context.wipe_argon2_memory, Some(context.pool))
            }
            Scheme::Bcrypt(hash) => hash.verify(password),
            Scheme::Digest(digest) => Ok(digest.verify(password)),
            Scheme::Legacy(hash) => hash.verify(password),
            Scheme::Keyed(hash) => hash.verify(password, context.keys),
            Scheme::Pbkdf2(hash) => Ok(hash.verify(password)),
            Scheme::Ldap(hash) => Ok(hash.verify(password)),
            Scheme::Crypt(hash) => hash.verify(password),
            Scheme::Portable(hash) => hash.verify(password),
            Scheme::WordPress(hash) => hash.verify(password),
            Scheme::Wrapped(hash) => {
                hash.verify(password, context.wipe_argon2_memory, Some(context.pool))
            }
            Scheme::Scrypt(hash) => hash.verify(password),
            Scheme::Normalized(form, inner) => match form.apply(password) {
                Some(normalised) => inner.verify(&normalised, context),
                None => Ok(false),
            },
            Scheme::Joomla(hash) => Ok(hash.verify(password)),
            Scheme::Kratos(hash) => Ok(hash.verify(password)),
            Scheme::Membership(hash) => Ok(hash.verify(password)),
            Scheme::Composed(hash) => {
                hash.verify(password, context.wipe_argon2_memory, Some(context.pool))
            }
            Scheme::Transcoded(encoding, inner) => match encoding.apply(password) {
                Some(encoded) => inner.verify(&encoded, context),
                None => Ok(false),
            },
        }
    }

    /// Returns the normalisation a wrapped hash applies to the password, if any.
    pub(crate) fn normalization(&self) -> Option<normalized::Normalization> {
        match self {
            Scheme::Normalized(form, _) => Some(*form),
            _ => None,
        }
    }

    pub(crate) fn upgrade_reasons(&self, target: &Argon2Target) -> Vec<UpgradeReason> {
        match self {
            Scheme::Argon2(hash) => hash.upgrade_reasons(target),
            Scheme::Normalized(_, inner) => inner.upgrade_reasons(target),
            // The upgrade drops the encoding wrapper, so it is always due.
            Scheme::Transcoded(_, inner) => {
                let mut reasons = inner.upgrade_reasons(target);
                if reasons.is_empty() {
                    reasons.push(UpgradeReason::LegacyScheme(inner.kind()));
                }
                reasons
            }
            other => vec![UpgradeReason::LegacyScheme(other.kind())],
        }
    }

    /// Writes the canonical form of the stored hash, which parses back to the same value.
    pub(crate) fn encode(&self) -> String {
        match self {
            Scheme::Argon2(hash) => hash.encode(),
            Scheme::Bcrypt(hash) => hash.encode(),
            Scheme::Digest(digest) => digest.encode(),
            Scheme::Legacy(hash) => hash.encode(),
            Scheme::Keyed(hash) => hash.encode(),
            Scheme::Pbkdf2(hash) => hash.encode(),
            Scheme::Ldap(hash) => hash.encode(),
            Scheme::Crypt(hash) => hash.encode(),
            Scheme::Portable(hash) => hash.encode(),
            Scheme::WordPress(hash) => hash.encode(),
            Scheme::Wrapped(hash) => hash.encode(),
            Scheme::Scrypt(hash) => hash.encode(),
            Scheme::Normalized(form, inner) => format!("{}{}", form.prefix(), inner.encode()),
            Scheme::Joomla(hash) => hash.encode(),
            Scheme::Kratos(hash) => hash.encode(),
            Scheme::Membership(hash) => hash.encode(),
            Scheme::Composed(hash) => hash.encode(),
            Scheme::Transcoded(encoding, inner) => {
                format!("{}{}", encoding.prefix(), inner.encode())
            }
        }
    }

    /// Returns the parameters `identify` reports, as name and value pairs.
    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Scheme::Argon2(hash) => hash.params(),
            Scheme::Bcrypt(hash) => hash.params(),
            Scheme::Digest(digest) => digest.params(),
            Scheme::Legacy(hash) => hash.params(),
            Scheme::Keyed(hash) => hash.params(),
            Scheme::Pbkdf2(hash) => hash.params(),
            Scheme::Ldap(hash) => hash.params(),
            Scheme::Crypt(hash) => hash.params(),
            Scheme::Portable(hash) => hash.params(),
            Scheme::WordPress(hash) => hash.params(),
            Scheme::Wrapped(hash) => hash.params(),
            Scheme::Scrypt(hash) => hash.params(),
            Scheme::Normalized(form, inner) => {
                let mut params = inner.params();
                params.push(("normalization", form.name().to_string()));
                params
            }
            Scheme::Joomla(hash) => hash.params(),
            Scheme::Kratos(hash) => hash.params(),
            Scheme::Membership(hash) => hash.params(),
            Scheme::Composed(hash) => hash.params(),
            Scheme::Transcoded(encoding, inner) => {
                let mut params = inner.params();
                params.push(("source_encoding", encoding.name().to_string()));
                params
            }
        }
    }
}

/// Rejects a string that no scheme recognised, without echoing it. An MCF identifier or an
/// LDAP-style `{TAG}` names a scheme pwmigrate does not support. Anything else is no password
/// hash of any known shape, such as a plaintext password in a hash column.
fn unrecognised(stored: &str) -> Result<Scheme, Error> {
    if let Some((tag, _)) = stored
        .strip_prefix('{')
        .and_then(|rest| rest.split_once('}'))
    {
        let plain = tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !tag.is_empty() && tag.len() <= 32 && plain {
            return Err(Error::UnsupportedScheme {
                detail: format!(
                    "no supported scheme under the tag {}",
                    quote_identifier(tag)
                ),
            });
        }
    }
    if let Some(rest) = stored.strip_prefix('$') {
        let identifier = rest.split('$').next().unwrap_or("");
        let plain = identifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !identifier.is_empty() && identifier.len() <= 32 && plain {
            return Err(Error::UnsupportedScheme {
                detail: format!("unknown MCF identifier {}", quote_identifier(identifier)),
            });
        }
    }
    Err(Error::malformed(
        "stored",
        format!(
            "no supported scheme matches this {}-character string",
            stored.chars().count()
        ),
    ))
}

/// Quotes an identifier read from a stored hash for an error message when it has the shape of a
/// scheme identifier. That is at most 16 characters, either all lowercase letters, digits, `-`,
/// `_` and `.`, or all uppercase letters and digits as LDAP tags are. Anything else might be a
/// password typed into the hash column, so only its length is named.
pub(crate) fn quote_identifier(text: &str) -> String {
    let lower = text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    let upper = text
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !text.is_empty() && text.len() <= 16 && (lower || upper) {
        format!("{text:?}")
    } else {
        format!("of {} characters", text.chars().count())
    }
}

/// Cuts `text` to at most `max` characters for use in an error message.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_kinds_round_trip() {
        let mut names = std::collections::BTreeSet::new();
        for kind in SchemeKind::ALL {
            assert_eq!(SchemeKind::from_name(kind.name()), Some(kind), "{kind}");
            assert!(names.insert(kind.name()), "{kind} listed twice");
        }
    }
}
