#include <bits/stdc++.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
using namespace std;
// Prints the correct answer of the 'hostile' problem (A+B).
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
template <class A, class B> struct P {};
template <class T, int N> struct Bomb { using L = typename Bomb<P<T, T>, N - 1>::type; using R = typename Bomb<P<T, L>, N - 1>::type; using type = P<L, R>; };
template <class T> struct Bomb<T, 0> { using type = T; };
int main() { typename Bomb<int, 40>::type x; (void)x; answer(); }
