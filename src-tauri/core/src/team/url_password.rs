//! The password part of a team database's URL: finding it (`user:password@`
//! or `?password=`), taking it out before the URL is saved, and putting the
//! keyring's back in before the URL is opened.

use crate::secrets::SecretStore;
use crate::team::describe_url;

/// The password written in a URL (`user:password@`, or `?password=`), decoded.
pub(super) fn password_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if let Some(password) = parsed.password().filter(|p| !p.is_empty()) {
        return Some(
            percent_encoding::percent_decode_str(password)
                .decode_utf8_lossy()
                .into_owned(),
        );
    }
    parsed
        .query_pairs()
        .find(|(key, value)| key == "password" && !value.is_empty())
        .map(|(_, value)| value.into_owned())
}

/// The URL without its password, wherever it was written.
pub(super) fn without_password(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url.trim()) else {
        return url.to_owned();
    };
    let _ = parsed.set_password(None);
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(key, _)| key != "password")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    parsed.to_string()
}

/// `url` with the password the keyring keeps for it, where the URL has none.
pub(super) fn with_kept_password(url: &str, secrets: &dyn SecretStore) -> String {
    if password_of(url).is_some() {
        return url.to_owned();
    }
    match secrets.get(&describe_url(url)) {
        Ok(Some(password)) => match url::Url::parse(url.trim()) {
            Ok(mut parsed) => match parsed.set_password(Some(&password)) {
                Ok(()) => parsed.to_string(),
                Err(()) => url.to_owned(),
            },
            Err(_) => url.to_owned(),
        },
        Ok(None) => url.to_owned(),
        Err(reason) => {
            tracing::info!("the team database's password is not in the keyring: {reason}");
            url.to_owned()
        }
    }
}
