//! Compiles proto/vms.proto into Rust with tonic-prost-build.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/vms.proto");
    tonic_prost_build::configure().compile_protos(&["proto/vms.proto"], &["proto"])?;
    Ok(())
}
