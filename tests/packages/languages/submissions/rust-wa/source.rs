// 32-bit sums, wrapping: wrong once the sum passes 2^31 - 1.
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<i32> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    println!("{}", v[0].wrapping_add(v[1]));
}
