#include <cstdio>
int main() { puts("0"); }
