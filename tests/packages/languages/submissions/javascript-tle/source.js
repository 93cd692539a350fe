let x = 1;
while (x !== 0) x = (x * 31 + 7) % 1000003 + 1;
console.log(x);
