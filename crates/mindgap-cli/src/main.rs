//! `mindgap`: the expectations diary from the command line.
//!
//! Exit codes: 0 success; 1 the input has errors; 2 usage errors (bad flags,
//! unreadable files).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod input;
mod sample;
mod validate;

/// Measure the gap between what customers expect and what they get.
#[derive(Debug, Parser)]
#[command(name = "mindgap", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the built-in sample: diary.json, interactions.csv, feedback.csv.
    Sample(sample::Args),
    /// Check diary files (JSON diary, CSV, JSON Lines) and print every error.
    Validate(validate::Args),
}

/// A failure of a command: the message, and the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Bad usage or unreadable files (exit code 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    /// The same failure, with its message already printed.
    pub fn silent(mut self) -> Failure {
        self.message.clear();
        self
    }
    /// The message.
    pub fn message_text(&self) -> &str {
        &self.message
    }
    /// The input has errors (exit code 1).
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<mindgap::Error> for Failure {
    fn from(e: mindgap::Error) -> Failure {
        match e {
            mindgap::Error::Io { .. } | mindgap::Error::InvalidOption { .. } => {
                Failure::usage(e.to_string())
            }
            _ => Failure::input(e.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sample(args) => sample::run(&args),
        Command::Validate(args) => validate::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("mindgap: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}
