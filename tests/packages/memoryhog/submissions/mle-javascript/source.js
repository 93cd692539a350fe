const xs = [];
for (;;) xs.push(new Array(1 << 16).fill(1.5));
