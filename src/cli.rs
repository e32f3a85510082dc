//! Command-line definitions: clap derive types that mirror the flags, and nothing else.
//!
//! Validation, path resolution and terminal detection live in `config.rs`, so that this file
//! reads as the user-facing surface of the tool and stays free of logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  bookvoice chapters moby-dick.epub
  bookvoice chapters moby-dick.epub --json
  bookvoice extract moby-dick.epub --work-dir work/moby-dick
  bookvoice convert alice.epub
  bookvoice convert alice.epub --voice bf_emma -o audiobooks --format m4b
  bookvoice convert alice.epub --format mp3,opus --bitrate mp3=96 --loudness acx
  bookvoice convert alice.epub --stop-after script
  bookvoice convert library/ --voice bf_emma
  bookvoice status alice.epub
  bookvoice convert alice.epub --stop-after script --vision-url http://127.0.0.1:11434
  bookvoice convert alice.epub --stop-after script --no-images
  bookvoice describe-check --vision-url https://gpu-box:8443 --vision-model gemma-3-4b
  bookvoice normalize 'On March 3, 1887, Mr. Holmes paid $3.50 at 7:45 p.m.'
  bookvoice say \"It was a bright cold day in April.\" -o april.wav
  bookvoice say -f passage.txt --voice bf_emma -o passage.wav
  bookvoice say -f passage.txt --voice af_heart:60,am_michael:40 --speed 1.1
  bookvoice say --lang es -f texto.txt -o texto.wav
  bookvoice convert libro.epub                    (language and voice from the book)
  bookvoice convert book.epub --lang fr --voice ff_siwis
  bookvoice voices
  bookvoice bench --json
  bookvoice bench --book alice.epub --chapters 2-4 --compare-reference
  bookvoice bench --languages es,fr --compare-reference --out out/bench-lang
  bookvoice bench --soak 200
  bookvoice bench --book wasteland.epub --chapters 2 --compare-reference --repeat 3
  bookvoice bench --cost-curve --device cpu
  bookvoice bench --mastering alice.epub:1-2 --out out/bench-mastering

Exit status: 0 when everything was done, 1 when something failed, 2 for bad usage.";

/// Turn EPUB books into audiobooks on your own machine, with Kokoro text-to-speech.
#[derive(Debug, Parser)]
#[command(name = "bookvoice", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// More log output (-v: debug, -vv: trace; progress and warnings are shown without it).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Log only errors; no progress display. What the command made (paths, listings, --json)
    /// is still printed on stdout, for scripts to read.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Speak a text into a WAV file (24 kHz mono, 16-bit).
    Say(SayArgs),
    /// List the installed voices by language, with each language's default.
    Voices(VoicesArgs),
    /// Measure speed and memory: a passage, a whole book (--book) or a soak (--soak N),
    /// optionally against the Python reference (--compare-reference); or mastering
    /// (--mastering).
    Bench(BenchArgs),
    /// List the chapters found in a book: number, kind (front/body/back), words, images, title.
    Chapters(ChaptersArgs),
    /// Extract a book into its work directory: chapters as structured text, images by hash.
    Extract(ExtractArgs),
    /// Convert a book into an audiobook: chapter WAVs and a chaptered M4B; resumable.
    Convert(ConvertArgs),
    /// Print text as it will be spoken: numbers, abbreviations and typography in words.
    Normalize(NormalizeArgs),
    /// Show how far each book's conversion has come, chapter by chapter, and the time left.
    Status(StatusArgs),
    /// Ask the vision server once, step by step: reachable, model listed, able to see, and one
    /// test picture described, so a setup can be fixed before a long run.
    DescribeCheck(DescribeCheckArgs),
}

#[derive(Debug, Args)]
pub struct DescribeCheckArgs {
    #[command(flatten)]
    pub server: VisionServerArgs,

    /// Settings file whose [vision] is used (default: ./bookvoice.toml when present).
    #[arg(long, value_name = "FILE", env = "BOOKVOICE_CONFIG")]
    pub config: Option<PathBuf>,

    /// Print what was found as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// EPUB files, folders of them, or work directories, whose conversion to report.
    #[arg(value_name = "BOOK.epub|WORKDIR", required = true, num_args = 1..)]
    pub books: Vec<PathBuf>,

    /// The folder the books were converted into (convert's -o): their work directories are
    /// OUTDIR/BOOK.bookvoice [default: [output] dir in the settings file, else the current
    /// directory].
    #[arg(short, long, value_name = "OUTDIR")]
    pub output: Option<PathBuf>,

    /// Settings file whose [output] dir is where the books were converted into (default:
    /// ./bookvoice.toml when present, else the user's config directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The book's work directory, if not the default OUTDIR/BOOK.bookvoice; one book only.
    #[arg(short = 'w', long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Print the status as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// The text. Use -f to read it from a file instead.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub text: Option<String>,

    /// Read the text from FILE ('-' for standard input).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// The text's language, as a book declares it: en-US, en-GB ("one hundred and five"), es,
    /// fr, it, pt-BR, hi (others get typography only) [default: what the text reads as, else
    /// en-US].
    #[arg(long, value_name = "TAG", value_parser = crate::lang::parse_tag)]
    pub lang: Option<String>,

    /// Settings file whose [lexicon] is applied (default: ./bookvoice.toml when present).
    #[arg(long, value_name = "FILE", env = "BOOKVOICE_CONFIG")]
    pub config: Option<PathBuf>,

    /// List every digit or symbol the normalized text (a chapter's script, say) still holds,
    /// as FILE:LINE:COLUMN: TOKEN, instead of printing the text; exit status 1 when any is
    /// left.
    #[arg(long, requires = "file")]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// EPUB files, or folders of them; each becomes its own audiobook.
    #[arg(value_name = "BOOK.epub", required = true, num_args = 1..)]
    pub books: Vec<PathBuf>,

    /// Where the audiobooks go: BOOK.m4b and BOOK/NN - Title.wav [default: the current
    /// directory, or [output] dir in the settings file].
    #[arg(short, long, value_name = "OUTDIR")]
    pub output: Option<PathBuf>,

    /// What to make: m4b (one chaptered audiobook), wav (chapter files), mp3 (chapter files
    /// and the book in one file with chapter frames), opus (chapter files); several with
    /// commas [default: m4b,wav, or [output] format].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Vec<FormatArg>,

    /// Bit rates of the lossy formats in kbit/s, as FORMAT=KBPS, several with commas: m4b
    /// 16-144, mp3 8-160, opus 6-256 [default: m4b=64,mp3=64,opus=32, or [output.bitrates]].
    #[arg(long, value_delimiter = ',', value_name = "FORMAT=KBPS")]
    pub bitrate: Vec<String>,

    /// The book's work directory [default: OUTDIR/BOOK.bookvoice, beside the output]; one
    /// book only.
    #[arg(short = 'w', long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Stop after this stage: script writes the narration text to read first; synthesize
    /// speaks it; assemble masters the chapters and makes the --format files.
    #[arg(long, value_enum, default_value_t = StageArg::Assemble, value_name = "STAGE")]
    pub stop_after: StageArg,

    /// Loudness of every chapter: standard (-16 LUFS integrated, true peaks at or under -1
    /// dBTP, or [loudness] target_lufs and max_true_peak_db), acx (ACX: RMS -20 dB, peaks at
    /// or under -3 dB) or off (the model's own level) [default: [loudness] preset, else
    /// standard].
    #[arg(long, value_enum, value_name = "PRESET")]
    pub loudness: Option<LoudnessArg>,

    /// Footnotes and endnotes printed in a chapter: skip them, or read them after the
    /// chapter's text [default: [notes] mode, else skip]. Note markers are never read.
    #[arg(long, value_enum, value_name = "HOW")]
    pub notes: Option<crate::stages::script::reading::Notes>,

    /// Code listings: announce and skip them, or read them line by line [default: [code]
    /// mode, else announce].
    #[arg(long, value_enum, value_name = "HOW")]
    pub code: Option<crate::stages::script::reading::Code>,

    /// Fail at once if another bookvoice is working on the same book, instead of waiting.
    #[arg(long)]
    pub no_wait: bool,

    /// Speak and assemble one chapter after another, on one worker, instead of assembling
    /// finished chapters while the workers (one per GPU) speak the next ones; for measuring
    /// what the overlap gains [default: [speech] overlap, else overlap].
    #[arg(long)]
    pub no_overlap: bool,

    /// Settings file (default: ./bookvoice.toml when present).
    #[arg(long, value_name = "FILE", env = "BOOKVOICE_CONFIG")]
    pub config: Option<PathBuf>,

    /// Print a JSON summary of what was done on standard output.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub vision: VisionArgs,

    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Files `convert` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatArg {
    M4b,
    Wav,
    Mp3,
    Opus,
}

/// Loudness presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LoudnessArg {
    Standard,
    Acx,
    Off,
}

/// The stages `convert` can stop after, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum StageArg {
    Extract,
    Describe,
    Script,
    Synthesize,
    Assemble,
}

/// The vision model that describes images. Each also comes from the environment or from
/// `[vision]` in the settings file.
#[derive(Debug, Args)]
pub struct VisionArgs {
    /// Describe no images and send no requests; captions are still read as text.
    #[arg(long)]
    pub no_images: bool,

    #[command(flatten)]
    pub server: VisionServerArgs,
}

/// Where the vision model is served and how to talk to it.
#[derive(Debug, Args)]
pub struct VisionServerArgs {
    /// Base URL, http:// or https://, of an OpenAI-compatible server (LM Studio, llama.cpp,
    /// Ollama, vLLM), without /v1 [default: http://127.0.0.1:1234].
    #[arg(long, value_name = "URL", env = "BOOKVOICE_VISION_URL")]
    pub vision_url: Option<String>,

    /// The vision model's name on that server [default: google/gemma-3n-e4b].
    #[arg(long, value_name = "NAME", env = "BOOKVOICE_VISION_MODEL")]
    pub vision_model: Option<String>,

    /// Seconds to wait for one description before trying again [default: 120].
    #[arg(long, value_name = "SECS")]
    pub vision_timeout: Option<f64>,

    /// Further attempts after a connection error, timeout or server error [default: 2].
    #[arg(long, value_name = "N")]
    pub vision_retries: Option<u32>,

    /// A CA certificate (PEM or DER) to trust for an https:// server whose certificate is
    /// self-signed or from a private authority. The API token, when the server wants one,
    /// comes from BOOKVOICE_VISION_API_KEY or [vision] api_key, never from a flag.
    #[arg(long, value_name = "FILE", env = "BOOKVOICE_VISION_CA_CERT")]
    pub vision_ca_cert: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ChaptersArgs {
    /// The EPUB file.
    #[arg(value_name = "BOOK.epub")]
    pub book: PathBuf,

    /// Print the book and its chapters as JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub selection: SelectionArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The EPUB file.
    #[arg(value_name = "BOOK.epub")]
    pub book: PathBuf,

    /// The book's work directory (default: ./BOOK.bookvoice, named after the EPUB).
    #[arg(short = 'w', long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Print the book and its chapters as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Which chapters a command works on. Shared by `chapters` and `convert`.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// Chapters by number, as `bookvoice chapters` lists them: 3, 1-4, 10- (comma-separated).
    #[arg(long, value_name = "LIST")]
    pub chapters: Option<crate::stages::extract::select::ChapterRanges>,

    /// Also take front or back matter (cover, contents, notes...) besides the body.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub include: Vec<crate::stages::extract::book::ChapterKind>,
}

#[derive(Debug, Args)]
pub struct SayArgs {
    /// The text to speak. Use -f to read it from a file instead.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub text: Option<String>,

    /// Read the text from FILE ('-' for standard input).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Where to write the WAV file.
    #[arg(short, long, value_name = "OUT.wav", default_value = "say.wav")]
    pub output: PathBuf,

    /// Print a JSON summary of the result on standard output.
    #[arg(long)]
    pub json: bool,

    /// Speak the text exactly as written, without turning numbers and abbreviations into words.
    #[arg(long)]
    pub raw: bool,

    /// Settings file whose [speech] and [voices] apply (default: ./bookvoice.toml when present).
    #[arg(long, value_name = "FILE", env = "BOOKVOICE_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    /// Only the voices of this language (en-us, en-gb, es, fr, it, pt-br, hi, ja, zh).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,

    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub assets: AssetArgs,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Benchmark this text instead of the built-in passage.
    #[arg(short = 'f', long = "file", value_name = "FILE", conflicts_with_all = ["book", "soak"])]
    pub file: Option<PathBuf>,

    /// Convert this EPUB end to end into a fresh work directory and report the whole run
    /// (images are not described). Pick chapters with --chapters.
    #[arg(long, value_name = "BOOK.epub")]
    pub book: Option<PathBuf>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Keep the run's files (work directory, audio, chapter texts, the reference's audio) in
    /// DIR instead of a temporary folder removed at the end.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Also speak the same text with the Python reference (kokoro-onnx 0.6.1, same model and
    /// voice) in this run, and print the ratios. Set it up once with `make reference`.
    #[arg(long, conflicts_with = "soak")]
    pub compare_reference: bool,

    /// The reference environment's Python.
    #[arg(
        long,
        value_name = "PYTHON",
        env = "BOOKVOICE_REFERENCE_PYTHON",
        default_value = ".venv-reference/bin/python"
    )]
    pub reference_python: PathBuf,

    /// Speak a passage of about 80 words (120 characters in ja and zh) in each of these
    /// languages (default: es, fr, it, pt-br, hi, ja, zh) with the language's default voice, into --out for scoring with Whisper
    /// (`make bench-lang`); with --compare-reference the Python reference speaks them too.
    #[arg(
        long,
        value_delimiter = ',',
        num_args = 0..,
        value_name = "LANGS",
        conflicts_with_all = ["book", "soak", "file"]
    )]
    pub languages: Option<Vec<crate::lang::Lang>>,

    /// Convert these books (BOOK.epub, or BOOK.epub:CHAPTERS) and master every chapter from
    /// the same speech: off, the old one-gain method (worked out from off), the limiter, and
    /// ACX. Loudness, range and true peak per chapter, the spread across chapters, clicks
    /// and level jumps at joins, and the cost.
    #[arg(
        long,
        num_args = 1..,
        value_name = "BOOK.epub[:CHAPTERS]",
        conflicts_with_all = ["book", "soak", "file", "languages"]
    )]
    pub mastering: Option<Vec<String>>,

    /// Speak N chunks of varied length, print resident memory as it goes, and fail if it grows
    /// more than 30 MB after the warm-up.
    #[arg(long, value_name = "N", conflicts_with = "book")]
    pub soak: Option<u32>,

    /// Time one model call at lengths from 10 to 510 phoneme ids (--runs times each, at least
    /// three) and fit the fixed cost per call and the cost per id.
    #[arg(long, conflicts_with_all = ["book", "soak", "file", "languages", "mastering", "compare_reference"])]
    pub cost_curve: bool,

    /// With --book and --compare-reference: make N pairs of runs, alternating which side runs
    /// first, and report each pair's speed ratio and the median.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub repeat: u32,

    /// How many times to speak the passage after a warm-up run.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub runs: u32,

    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Where the model files are found. Shared by every command that touches them.
#[derive(Debug, Args)]
pub struct AssetArgs {
    /// Directory holding the model, voices, vocabulary and ONNX Runtime (as `make assets` lays it out).
    #[arg(long, value_name = "DIR", env = "BOOKVOICE_MODELS", global = true)]
    pub models: Option<PathBuf>,

    /// Voices: a directory of raw .bin voices, or an upstream voices-v1.0.bin (.npz) file.
    #[arg(long, value_name = "PATH", env = "BOOKVOICE_VOICES")]
    pub voices: Option<PathBuf>,
}

/// How speech is made. Shared by `say`, `bench` and, later, `convert`.
#[derive(Debug, Args)]
pub struct EngineArgs {
    /// Voice name, or a blend such as af_heart:60,am_michael:40 [default: the language's own:
    /// af_heart, bf_emma, ef_dora, ff_siwis, if_sara, pf_dora, hf_alpha, jf_alpha, zf_xiaobei;
    /// see `bookvoice voices`].
    #[arg(long)]
    pub voice: Option<String>,

    /// Speaking rate, 0.5 to 2.0 [default: 1.0].
    #[arg(long, value_parser = parse_speed)]
    pub speed: Option<f32>,

    /// Where inference runs: auto tries the platform's accelerators, then the CPU; cpu; cuda
    /// (every visible GPU, one worker each); cuda:N (GPU N only); coreml; directml
    /// [default: auto].
    #[arg(long, value_name = "DEVICE")]
    pub device: Option<DeviceArg>,

    /// The language to read the text in: en-us, en-gb, es, fr, it, pt-br, hi, ja or zh, or any tag
    /// naming one (es-MX, pt, en) [default: the book's dc:language, unless its text plainly
    /// reads as another language; for `say`, what the text reads as].
    #[arg(long, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,

    /// Grapheme-to-phoneme engine for English: misaki (with espeak-ng for unknown words) or
    /// espeak-ng alone. Spanish, French, Italian, Portuguese and Hindi always use espeak-ng,
    /// Japanese and Chinese their own front ends, as Kokoro's own pipeline does.
    #[arg(long, value_enum, default_value_t = G2pArg::Misaki)]
    pub g2p: G2pArg,

    /// The Kokoro ONNX model file (default: the best one installed in the models directory).
    /// A file named here runs whole on every device, in calls of at most 150 phonemes.
    #[arg(long, value_name = "FILE", env = "BOOKVOICE_MODEL")]
    pub model: Option<PathBuf>,

    /// The ONNX Runtime shared library (libonnxruntime.so / .dylib / onnxruntime.dll).
    #[arg(long, value_name = "FILE", env = "ORT_DYLIB_PATH")]
    pub ort_lib: Option<PathBuf>,

    /// Inference threads on the CPU (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Test hook: replace the model with a scripted fake, e.g. "cuda:nan,cpu:ok".
    #[arg(long, hide = true, value_name = "SPEC")]
    pub fake_engine: Option<String>,

    #[command(flatten)]
    pub assets: AssetArgs,
}

/// `--device` (and `[speech] device`): `cuda` is every visible GPU, `cuda:N` one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum DeviceArg {
    Auto,
    Cpu,
    Cuda,
    CudaOne(u32),
    Coreml,
    Directml,
}

impl std::str::FromStr for DeviceArg {
    type Err = String;

    fn from_str(s: &str) -> Result<DeviceArg, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => DeviceArg::Auto,
            "cpu" => DeviceArg::Cpu,
            "cuda" => DeviceArg::Cuda,
            "coreml" => DeviceArg::Coreml,
            "directml" => DeviceArg::Directml,
            other => match other.strip_prefix("cuda:").map(str::parse::<u32>) {
                Some(Ok(n)) => DeviceArg::CudaOne(n),
                _ => {
                    return Err(format!(
                        "no device {s:?} (auto, cpu, cuda, cuda:N such as cuda:1, coreml, \
                         directml)"
                    ));
                }
            },
        })
    }
}

impl TryFrom<String> for DeviceArg {
    type Error = String;

    fn try_from(s: String) -> Result<DeviceArg, String> {
        s.parse()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum G2pArg {
    Misaki,
    Espeak,
}

/// `--speed`: a rate Kokoro speaks intelligibly, 0.5 to 2.0 (the range `config` also holds a
/// settings file's `speed` to).
fn parse_speed(text: &str) -> Result<f32, String> {
    let speed: f32 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.5..=2.0).contains(&speed) {
        Ok(speed)
    } else {
        Err(format!("must be between 0.5 and 2.0, not {speed}"))
    }
}

/// A mistake in how a command was called that clap cannot see, since it depends on what the
/// paths hold (`--work-dir` with a folder of several books). `main` exits with 2 for it, as
/// for clap's own usage errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A [`UsageError`] as the error a command returns.
pub fn usage_error(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn device_takes_a_gpu_number() {
        assert_eq!("cuda:1".parse(), Ok(DeviceArg::CudaOne(1)));
        assert_eq!("CUDA".parse(), Ok(DeviceArg::Cuda));
        assert_eq!("cpu".parse(), Ok(DeviceArg::Cpu));
        assert!("cuda:x".parse::<DeviceArg>().is_err());
        assert!("gpu".parse::<DeviceArg>().is_err());
        let cli = Cli::try_parse_from(["bookvoice", "say", "hi", "--device", "cuda:1"]);
        assert!(cli.is_ok(), "{:?}", cli.err());
        // The settings file's `[speech] device` takes the same names.
        let file: DeviceArg = serde_json::from_str("\"cuda:2\"").unwrap();
        assert_eq!(file, DeviceArg::CudaOne(2));
        assert!(serde_json::from_str::<DeviceArg>("\"tpu\"").is_err());
    }
}
