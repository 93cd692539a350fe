fn main() {
    let mut xs: Vec<Vec<u8>> = Vec::new();
    loop { xs.push(vec![1u8; 1 << 20]); }
}
