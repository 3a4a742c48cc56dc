//! The fixed inputs and outputs of the tests, listed in
//! `testdata/manifest.toml` with their source, licence and SHA-256: every
//! file listed is there with the bytes it was listed with, every fixture is
//! listed, and the fMP4 muxer still writes the golden file byte for byte,
//! so a change in what recordings hold is a visible decision (regenerate
//! with `VMS_UPDATE_GOLDEN=1`, and update the manifest's digest).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use vms_codec::fmp4;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    file: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    source: String,
    licence: String,
    sha256: String,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn manifest() -> Manifest {
    toml::from_str(&std::fs::read_to_string(repo().join("testdata/manifest.toml")).unwrap()).unwrap()
}

/// Every file under a `testdata` directory of the repository, relative to it.
fn fixtures() -> Vec<String> {
    let root = repo();
    let mut dirs = vec![root.join("testdata")];
    for group in ["crates", "tools"] {
        for entry in std::fs::read_dir(root.join(group)).unwrap().flatten() {
            dirs.push(entry.path().join("testdata"));
        }
    }
    let mut found = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n != "manifest.toml") {
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                found.push(relative);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_fixture_is_listed_with_its_digest() {
    let manifest = manifest();
    for entry in &manifest.file {
        let said = !entry.source.trim().is_empty() && !entry.licence.trim().is_empty();
        assert!(said, "{}: say where it is from and under what licence", entry.path);
        let bytes = std::fs::read(repo().join(&entry.path)).unwrap_or_else(|e| panic!("{}: {e}", entry.path));
        assert_eq!(hex::encode(Sha256::digest(&bytes)), entry.sha256, "{} changed: update the manifest", entry.path);
    }
    let mut listed: Vec<String> = manifest.file.iter().map(|e| e.path.clone()).collect();
    listed.sort();
    assert_eq!(fixtures(), listed, "every file under a testdata directory is listed, and nothing else");
}

/// An init segment and two fragments (a keyframe and a delta picture each)
/// of an H.264 640×360 stream, made of fixed bytes.
fn golden() -> Vec<u8> {
    let avcc = [1u8, 0x64, 0x00, 0x1e, 0xff, 0xe1, 0, 4, 0x67, 0x64, 0x00, 0x1e, 1, 0, 2, 0x68, 0xee];
    let mut body = vec![0u8; 24];
    body.extend_from_slice(&640u16.to_be_bytes());
    body.extend_from_slice(&360u16.to_be_bytes());
    body.extend_from_slice(&[0u8; 50]);
    body.extend_from_slice(&((8 + avcc.len()) as u32).to_be_bytes());
    body.extend_from_slice(b"avcC");
    body.extend_from_slice(&avcc);
    let mut entry = ((8 + body.len()) as u32).to_be_bytes().to_vec();
    entry.extend_from_slice(b"avc1");
    entry.extend_from_slice(&body);
    let mut file = fmp4::init_segment(&entry, 640, 360);
    let key: Vec<u8> = [0u8, 0, 0, 12, 0x65].into_iter().chain((0..11).map(|i| i * 7)).collect();
    let delta: Vec<u8> = [0u8, 0, 0, 6, 0x41].into_iter().chain((0..5).map(|i| i * 3)).collect();
    for (i, base) in [0u64, 90_000].into_iter().enumerate() {
        let samples = [
            fmp4::Sample { data: &key, duration: 45_000, composition_offset: 0, keyframe: true },
            fmp4::Sample { data: &delta, duration: 45_000, composition_offset: 0, keyframe: false },
        ];
        file.extend_from_slice(&fmp4::fragment(i as u32 + 1, base, &samples));
    }
    file
}

#[test]
fn the_muxer_writes_the_golden_file() {
    let path = repo().join("testdata/fmp4/golden-h264.mp4");
    let written = golden();
    if std::env::var_os("VMS_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &written).unwrap();
    }
    let golden = std::fs::read(&path).unwrap();
    assert!(
        written == golden,
        "the muxer's bytes changed (SHA-256 {} was {}): if that is meant, regenerate with VMS_UPDATE_GOLDEN=1 \
         and update testdata/manifest.toml",
        hex::encode(Sha256::digest(&written)),
        hex::encode(Sha256::digest(&golden))
    );
}
