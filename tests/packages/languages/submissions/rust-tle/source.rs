fn main() {
    let mut x: u64 = 1;
    while x != 0 { x = (x * 31 + 7) % 1000003 + 1; }
    println!("{}", x);
}
