// Dies before its first question: the interactor then reads end-of-file and rejects, but the crash came first: RE.
#include <iostream>
int main() { long long n; std::cin >> n; return 3; }
