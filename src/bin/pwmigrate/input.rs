//! Reading the password from standard input or a terminal prompt.

use std::io::{IsTerminal, Read};

use pwmigrate::{Error, Password};
use zeroize::Zeroizing;

use crate::Failure;

/// Reads the password: the whole of standard input with one trailing `\n` or `\r\n` removed, or a
/// line typed at a prompt without echo when standard input is a terminal.
pub(crate) fn read_password(max_bytes: usize) -> Result<Password, Failure> {
    let stdin = std::io::stdin();
    let bytes = if stdin.is_terminal() {
        let typed = rpassword::prompt_password("Password: ")
            .map_err(|err| Failure::Input(format!("failed to read the password: {err}")))?;
        Zeroizing::new(typed.into_bytes())
    } else {
        read_bounded(stdin.lock(), max_bytes)?
    };

    let mut bytes = bytes;
    strip_one_newline(&mut bytes);
    if bytes.len() > max_bytes {
        // Only max_bytes + 3 bytes were read, so the true length is unknown here.
        return Err(Failure::Kind(
            Error::PasswordTooLong { len: 0, max: 0 }.kind(),
            format!("password is over the maximum of {max_bytes} bytes"),
        ));
    }
    Ok(Password::new(std::mem::take(&mut *bytes)))
}

/// Reads at most `max_bytes` plus a newline and one byte more, so an oversized input is detected
/// without reading all of it.
fn read_bounded(reader: impl Read, max_bytes: usize) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut bytes = Zeroizing::new(Vec::new());
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(3);
    reader.take(limit).read_to_end(&mut bytes).map_err(|err| {
        Failure::Input(format!(
            "failed to read the password from standard input: {err}"
        ))
    })?;
    Ok(bytes)
}

fn strip_one_newline(bytes: &mut Vec<u8>) {
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
}

/// Reads an `ID=FILE` key argument: the key is the file's bytes with one trailing newline
/// removed. The key is never printed.
pub(crate) fn read_key_file(spec: &str) -> Result<(String, Vec<u8>), Failure> {
    let Some((id, path)) = spec.split_once('=') else {
        return Err(Failure::Input(
            "invalid --hmac-key value: expected ID=FILE".to_string(),
        ));
    };
    let mut key = std::fs::read(path)
        .map_err(|err| Failure::Input(format!("failed to read key file {path}: {err}")))?;
    strip_one_newline(&mut key);
    if key.is_empty() {
        return Err(Failure::Input(format!(
            "key file {path} for --hmac-key id {id:?} is empty"
        )));
    }
    Ok((id.to_string(), key))
}
