//! Command-line options. Unknown arguments are ignored (with a log line):
//! WebDriver and desktop launchers add arguments of their own.

use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--data-dir PATH`: where the database lives (overrides `PARTWATCH_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// `--demo`: load the demo inventory at start-up when the database is empty.
    pub demo: bool,
}

impl Options {
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Self, String> {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy();
            if text == "--data-dir" {
                let value = args.next().ok_or("--data-dir needs a directory after it")?;
                options.data_dir = Some(PathBuf::from(value));
            } else if text == "--demo" {
                options.demo = true;
            } else if let Some(value) = text.strip_prefix("--data-dir=") {
                options.data_dir = Some(PathBuf::from(value));
            } else {
                tracing::debug!("ignoring argument {text:?}");
            }
        }
        if options
            .data_dir
            .as_ref()
            .is_some_and(|d| d.as_os_str().is_empty())
        {
            return Err("--data-dir needs a non-empty directory".into());
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(OsString::from))
    }

    #[test]
    fn reads_the_data_dir_in_both_spellings() {
        assert_eq!(
            parse(&["--data-dir", "/x"]).map(|o| o.data_dir),
            Ok(Some("/x".into()))
        );
        assert_eq!(
            parse(&["--data-dir=/y"]).map(|o| o.data_dir),
            Ok(Some("/y".into()))
        );
    }

    #[test]
    fn reads_the_demo_flag() {
        assert_eq!(parse(&["--demo"]).map(|o| o.demo), Ok(true));
        assert_eq!(parse(&[]).map(|o| o.demo), Ok(false));
    }

    #[test]
    fn ignores_foreign_arguments() {
        assert_eq!(parse(&["--automation"]), Ok(Options::default()));
    }

    #[test]
    fn a_missing_or_empty_directory_is_an_error() {
        assert!(parse(&["--data-dir"]).is_err());
        assert!(parse(&["--data-dir="]).is_err());
    }
}
