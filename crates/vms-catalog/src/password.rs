//! Argon2id password hashing.
//!
//! Parameters: Argon2id v1.3, 19 MiB memory, 2 iterations, 1 lane, 16-byte
//! salt, 32-byte tag (the OWASP recommendation). They are stored in each PHC
//! string, so raising them later keeps old hashes verifiable.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version, password_hash::SaltString,
};
use rand::{Rng, rngs::OsRng};

/// Memory cost in KiB.
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Iterations.
pub const ITERATIONS: u32 = 2;
/// Parallelism (lanes).
pub const LANES: u32 = 1;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, Some(32)).expect("argon2 parameters should be valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` into a PHC string. CPU-heavy (tens of ms): call from a blocking thread.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters should not fail")
        .to_string()
}

/// Checks `password` against a PHC string. CPU-heavy: call from a blocking thread.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as a real check, for logins naming an unknown user,
/// so response time does not reveal which user names exist.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("dummy password for timing"));
    let _ = verify(password, phc);
}

/// Checks `password` against the account found for a login, if any, spending
/// the same work when there is none. Returns the account only if it matches
/// and is enabled. CPU-heavy: call from a blocking thread.
pub fn verify_login(found: Option<crate::user::UserAuth>, password: &str) -> Option<crate::user::UserAuth> {
    match found {
        Some(account) => (verify(password, &account.password_hash) && !account.disabled).then_some(account),
        None => {
            verify_dummy(password);
            None
        }
    }
}

/// Returns why `password` is unacceptable, or `None` if it meets the policy:
/// at least [`MIN_LENGTH`] characters, at most 256, and not all one character class.
pub fn policy_violation(password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < MIN_LENGTH {
        return Some(format!("must be at least {MIN_LENGTH} characters"));
    }
    if len > 256 {
        return Some("must be at most 256 characters".to_owned());
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|&&present| present).count() < 2 {
        return Some("must mix at least two of: lower case, upper case, digits, symbols".to_owned());
    }
    None
}

/// Generates a random password that satisfies the policy (20 characters, no look-alikes).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = OsRng;
    loop {
        let candidate: String = (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
        if policy_violation(&candidate).is_none() {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_and_uses_argon2id() {
        let phc = hash("Correct horse 9");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("Correct horse 9", &phc));
        assert!(!verify("correct horse 9", &phc));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn policy_rejects_short_and_uniform_passwords() {
        assert!(policy_violation("Short1").is_some());
        assert!(policy_violation("alllowercaseletters").is_some());
        assert!(policy_violation("lowercase and spaces").is_none());
        assert!(policy_violation(&generate()).is_none());
    }
}
