// Answers 1 without asking: right on secret/1-large, wrong on the sample. The interactor rejects after the submission
// has exited; the verdict is still WA, and the judges' message (the secret) stays hidden from the submitter.
#include <iostream>
int main() { long long n; std::cin >> n; std::cout << "! 1" << std::endl; }
