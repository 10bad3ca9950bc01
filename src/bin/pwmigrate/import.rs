//! `pwmigrate import`: file handling around the library's importer.
//!
//! Both outputs are written to temporary files beside their targets and renamed into place only
//! after the whole input was read, so a failed import leaves no partial output. The input is only
//! read.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use pwmigrate::import::{self, ColumnMap, KeyRing, Options, Source, Summary};

use crate::Failure;
use crate::output::Printer;

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// User export to read: a JSON array, JSON Lines or CSV file, or `-` for standard input.
    #[arg(value_name = "INPUT")]
    input: PathBuf,
    /// File to write the accepted records to, as JSON Lines.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: PathBuf,
    /// File to write the rejected records to, as JSON Lines [default: OUTPUT.rejects.jsonl].
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Source format of INPUT; guessed from its content when omitted.
    #[arg(long, value_enum, value_name = "SOURCE")]
    from: Option<FromArg>,
    /// Replace OUTPUT and the rejects file when they already exist.
    #[arg(long)]
    force: bool,
    /// Print the summary, or the error, as one JSON object on standard output.
    #[arg(long)]
    pub(crate) json: bool,
    /// HMAC key for Auth0 `hmac` records, as ID=FILE: the key is FILE's bytes with one trailing
    /// newline removed, and the output names it by ID (1 to 64 characters from A-Za-z0-9_-).
    /// Repeat for several keys.
    #[arg(long = "hmac-key", value_name = "ID=FILE")]
    hmac_keys: Vec<String>,
    /// Column names for csv and jsonl input, as NAME=COLUMN pairs separated by commas. NAME is
    /// one of hash, salt, algorithm, salt_position, salt_encoding, digest_encoding, iterations,
    /// chain, key_id, source_encoding; each defaults to a column of the same name. Values:
    /// algorithm a method or digest name, werkzeug, or a composition such as md5(md5(p).salt);
    /// salt_position prefix (default), suffix or a template such as {SALT}{PASSWORD};
    /// salt_encoding utf8 (default), hex or base64; digest_encoding hex (default) or base64;
    /// chain raw (default) or hex for iterated digests; source_encoding utf8 (default), latin1
    /// or utf16le.
    #[arg(long, value_name = "NAME=COLUMN,...")]
    columns: Option<String>,
    /// Maximum size of one record, in bytes; a longer record is rejected.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    max_record_bytes: usize,
    /// Unicode normalisation the source applied to passwords before hashing: nfc or nfkc. Each
    /// stored hash is written behind `$pwm-nfc$` or `$pwm-nfkc$`, so `verify` normalises too.
    #[arg(long, value_name = "FORM", value_parser = parse_normalization)]
    normalize: Option<pwmigrate::Normalization>,
    /// Character encoding the source hashed passwords in, when not UTF-8: latin1 (ISO-8859-1)
    /// or utf16le. Each stored hash is written behind `$pwm-latin1$` or `$pwm-utf16le$`, so
    /// `verify` re-encodes the typed password the same way.
    #[arg(long, value_name = "ENCODING", value_parser = parse_source_encoding)]
    source_encoding: Option<pwmigrate::SourceEncoding>,
    /// Accept several records with the same user id, user name, email or phone. By default the
    /// second one is rejected as duplicate_user.
    #[arg(long)]
    allow_duplicates: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FromArg {
    Logto,
    Auth0,
    Csv,
    Jsonl,
}

impl From<FromArg> for Source {
    fn from(value: FromArg) -> Self {
        match value {
            FromArg::Logto => Source::Logto,
            FromArg::Auth0 => Source::Auth0,
            FromArg::Csv => Source::Csv,
            FromArg::Jsonl => Source::Jsonl,
        }
    }
}

pub(crate) fn run(printer: &Printer, args: &ImportArgs) -> Result<ExitCode, Failure> {
    let options = build_options(args)?;
    if args.output == Path::new("-") {
        return Err(Failure::Input(
            "--output must name a file; standard output is not supported".to_string(),
        ));
    }
    let rejects_path = args.rejects.clone().unwrap_or_else(|| {
        let mut name = args.output.clone().into_os_string();
        name.push(".rejects.jsonl");
        PathBuf::from(name)
    });
    if same_file(&args.output, &rejects_path) {
        return Err(Failure::Input(format!(
            "--rejects {} is the output file; choose another file",
            rejects_path.display()
        )));
    }
    for target in [&args.output, &rejects_path] {
        check_target(target, &args.input, args.force)?;
    }

    let (input, input_len): (Box<dyn Read>, Option<u64>) = if args.input == Path::new("-") {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(&args.input)
            .map_err(|err| io_failure("failed to open", &args.input, &err))?;
        let meta = file
            .metadata()
            .map_err(|err| io_failure("failed to read", &args.input, &err))?;
        if !meta.is_file() {
            return Err(Failure::Input(format!(
                "{} is not a regular file",
                args.input.display()
            )));
        }
        let len = Some(meta.len());
        (Box::new(file), len)
    };
    let bytes_read = Arc::new(AtomicU64::new(0));
    let counting = CountingReader {
        inner: input,
        count: Arc::clone(&bytes_read),
    };

    let mut output = TempOutput::create(&args.output)?;
    let mut rejects = TempOutput::create(&rejects_path)?;
    let bar = progress_bar(input_len);
    let mut progress = |records: u64| {
        if let Some(bar) = &bar {
            bar.set_position(bytes_read.load(Ordering::Relaxed));
            bar.set_message(format!("{records} records"));
        }
    };

    let result = import::import(
        BufReader::with_capacity(1 << 16, counting),
        &mut output.writer,
        &mut rejects.writer,
        &options,
        &mut progress,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = result.map_err(|err| match err {
        import::ImportError::Io(err) => io_failure("failed to read", &args.input, &err),
        other => Failure::Input(other.to_string()),
    })?;
    if summary.read == 0 {
        return Err(Failure::Input(format!(
            "{} contains no records; nothing was written",
            args.input.display()
        )));
    }
    output.commit()?;
    rejects.commit()?;

    report(printer, &summary, &args.output, &rejects_path)?;
    Ok(if summary.rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn parse_normalization(name: &str) -> Result<pwmigrate::Normalization, String> {
    pwmigrate::Normalization::from_name(name)
        .ok_or_else(|| format!("expected nfc or nfkc, got {name:?}"))
}

fn parse_source_encoding(name: &str) -> Result<pwmigrate::SourceEncoding, String> {
    pwmigrate::SourceEncoding::from_name(name)
        .ok_or_else(|| format!("expected latin1 or utf16le, got {name:?}"))
}

fn build_options(args: &ImportArgs) -> Result<Options, Failure> {
    let mut options = Options {
        normalization: args.normalize,
        source_encoding: args.source_encoding,
        source: args.from.map(Source::from),
        max_record_bytes: args.max_record_bytes,
        reject_duplicates: !args.allow_duplicates,
        ..Options::default()
    };
    if let Some(spec) = &args.columns {
        options.columns = parse_columns(spec)?;
    }
    options.keys = load_keys(&args.hmac_keys)?;
    Ok(options)
}

fn parse_columns(spec: &str) -> Result<ColumnMap, Failure> {
    let mut columns = ColumnMap::default();
    for pair in spec.split(',').filter(|pair| !pair.is_empty()) {
        let Some((name, column)) = pair.split_once('=') else {
            return Err(Failure::Input(format!(
                "invalid --columns entry {pair:?}: expected NAME=COLUMN"
            )));
        };
        let slot = match name.trim() {
            "hash" => &mut columns.hash,
            "salt" => &mut columns.salt,
            "algorithm" => &mut columns.algorithm,
            "salt_position" => &mut columns.salt_position,
            "salt_encoding" => &mut columns.salt_encoding,
            "digest_encoding" => &mut columns.digest_encoding,
            "iterations" => &mut columns.iterations,
            "chain" => &mut columns.chain,
            "key_id" => &mut columns.key_id,
            "source_encoding" => &mut columns.source_encoding,
            other => {
                return Err(Failure::Input(format!(
                    "unknown --columns name {other:?}; expected hash, salt, algorithm, \
                     salt_position, salt_encoding, digest_encoding, iterations, chain, key_id or \
                     source_encoding"
                )));
            }
        };
        *slot = column.trim().to_string();
    }
    Ok(columns)
}

fn load_keys(specs: &[String]) -> Result<KeyRing, Failure> {
    let mut keys = KeyRing::default();
    for spec in specs {
        let (id, key) = crate::input::read_key_file(spec)?;
        if keys.contains(&id) {
            return Err(Failure::Input(format!(
                "--hmac-key id {id:?} is given twice"
            )));
        }
        if !keys.add(&id, key) {
            return Err(Failure::Input(format!(
                "invalid --hmac-key id {id:?}: use 1 to 64 characters from A-Za-z0-9_-"
            )));
        }
    }
    Ok(keys)
}

/// Returns true when `first` and `second` name the same file, existing or not.
fn same_file(first: &Path, second: &Path) -> bool {
    let resolve = |path: &Path| -> PathBuf {
        if let Ok(path) = path.canonicalize() {
            return path;
        }
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let parent = parent
            .canonicalize()
            .unwrap_or_else(|_| parent.to_path_buf());
        parent.join(path.file_name().unwrap_or_default())
    };
    resolve(first) == resolve(second)
}

fn check_target(target: &Path, input: &Path, force: bool) -> Result<(), Failure> {
    if let (Ok(target), Ok(input)) = (target.canonicalize(), input.canonicalize())
        && target == input
    {
        return Err(Failure::Input(format!(
            "{} is the input; choose another output file",
            target.display()
        )));
    }
    if target.exists() && !force {
        return Err(Failure::Input(format!(
            "{} already exists; pass --force to replace it",
            target.display()
        )));
    }
    Ok(())
}

fn io_failure(action: &str, path: &Path, err: &io::Error) -> Failure {
    Failure::Input(format!("{action} {}: {err}", path.display()))
}

/// A file written under a temporary name and renamed to its target on commit. Dropped without a
/// commit, it removes the temporary file.
struct TempOutput {
    target: PathBuf,
    temporary: PathBuf,
    writer: BufWriter<File>,
    committed: bool,
}

impl TempOutput {
    fn create(target: &Path) -> Result<Self, Failure> {
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string());
        let temporary = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temporary)
            .map_err(|err| io_failure("failed to create a temporary file next to", target, &err))?;
        Ok(TempOutput {
            target: target.to_path_buf(),
            temporary,
            writer: BufWriter::with_capacity(1 << 16, file),
            committed: false,
        })
    }

    fn commit(&mut self) -> Result<(), Failure> {
        self.writer
            .flush()
            .and_then(|()| self.writer.get_ref().sync_all())
            .map_err(|err| io_failure("failed to write", &self.temporary, &err))?;
        fs::rename(&self.temporary, &self.target)
            .map_err(|err| io_failure("failed to rename into", &self.target, &err))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// Counts the bytes read, for the progress bar.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

fn progress_bar(input_len: Option<u64>) -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = match input_len {
        Some(len) => ProgressBar::new(len).with_style(
            ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {msg} ({per_sec}, ETA {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner(),
    };
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

fn report(printer: &Printer, summary: &Summary, output: &Path, rejects: &Path) -> io::Result<()> {
    if printer.is_json() {
        return printer.summary_json(&summary.to_json());
    }
    let mut text = format!(
        "read {} records as {}: {} accepted ({} need an upgrade), {} rejected\n",
        summary.read,
        summary.source.map_or("unknown", Source::name),
        summary.accepted,
        summary.upgrade_due,
        summary.rejected
    );
    for (scheme, count) in &summary.by_scheme {
        text.push_str(&format!("  scheme {scheme}: {count}\n"));
    }
    for (reason, count) in &summary.by_reason {
        text.push_str(&format!("  rejected {reason}: {count}\n"));
    }
    for (repair, count) in &summary.repairs {
        text.push_str(&format!("  repaired {repair}: {count}\n"));
    }
    if let Some(record) = summary.duplicate_check_stopped_at {
        text.push_str(&format!(
            "  warning: duplicate check stopped at record {record} after 2000000 users; \
             later duplicates were not detected\n"
        ));
    }
    text.push_str(&format!("output: {}\n", output.display()));
    text.push_str(&format!("rejects: {}\n", rejects.display()));
    io::stderr().lock().write_all(text.as_bytes())
}
