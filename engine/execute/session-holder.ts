// The process that holds a session's shell and everything it starts: a child subreaper
// (prctl PR_SET_CHILD_SUBREAPER), so a process that leaves its parent — `setsid -f`,
// `( cmd & )`, a daemon that clears its environment with `env -i` — is re-parented to the
// holder instead of init and stays findable as a descendant, whatever it keeps in its
// environment. Node has no binding for prctl, so the holder is a few lines of Perl, which every
// Debian has (perl-base is essential) and most other Linux systems too.
//
// Protocol (fd 3, shared with the shell): the holder writes `W <text>` when it cannot be a
// subreaper, and `X <code> <signal>` once the shell has exited; then it closes fd 3 and stays
// until its last descendant is gone. On SIGTERM — sent by the kernel when the engine dies
// (PR_SET_PDEATHSIG), even by SIGKILL — it ends every descendant and removes the session's
// scratch directory, so neither processes nor files of a killed run are left behind.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const HOLDER_SCRIPT = String.raw`
use strict; no warnings; use Config;
my ($dir, $engine, $nkeep, @rest) = @ARGV;
for my $kv (splice(@rest, 0, $nkeep)) { my ($k, $v) = split /=/, $kv, 2; $ENV{$k} = $v; }
my %nr = (x86_64 => 157, aarch64 => 167, riscv64 => 167, loongarch64 => 167, i386 => 172, i486 => 172,
  i586 => 172, i686 => 172, arm => 172, s390x => 172, powerpc64le => 171, powerpc64 => 171);
my ($arch) = $Config{archname} =~ /^([^-]+)/;
my $prctl = $nr{$arch};
my $why = defined $prctl ? '' : "no prctl number known for $arch";
if (defined $prctl && syscall($prctl, 36, 1, 0, 0, 0) != 0) { $why = "prctl(PR_SET_CHILD_SUBREAPER): $!"; }
syscall($prctl, 1, 15, 0, 0, 0) if defined $prctl;
$SIG{TERM} = \&end_all;
my $shell = fork();
if (defined $shell && $shell == 0) { $SIG{TERM} = 'DEFAULT'; exec { $rest[0] } @rest; exit 127; }
close STDIN;
open(my $ctl, '>&=', 3) or exit 1;
select((select($ctl), $| = 1)[0]);
print $ctl "W $why\n" if $why;
if (!defined $shell) { print $ctl "X 127 0\n"; exit 1; }
end_all() if getppid() != $engine;
for (;;) {
  my $pid = waitpid(-1, 0);
  last if $pid == -1;
  if ($pid == $shell) { printf $ctl "X %d %d\n", $? >> 8, $? & 127; close $ctl; }
}
exit 0;
sub descendants {
  my (%kids, %state);
  opendir(my $d, '/proc') or return ();
  for my $p (grep { /^\d+$/ } readdir $d) {
    open(my $f, '<', "/proc/$p/stat") or next;
    my $s = <$f>;
    next unless defined $s && $s =~ /.*\)\s+(\S)\s+(\d+)/s;
    push @{ $kids{$2} }, $p;
    $state{$p} = $1;
  }
  my @found; my @todo = ($$);
  while (@todo) { for my $c (@{ $kids{ pop @todo } || [] }) { push @found, $c if $state{$c} ne 'Z'; push @todo, $c; } }
  return @found;
}
sub end_all {
  my @p = descendants();
  kill 'TERM', @p; kill 'CONT', @p;
  for (1 .. 40) { 1 while waitpid(-1, 1) > 0; last unless descendants(); select(undef, undef, undef, 0.025); }
  kill 'KILL', descendants();
  require File::Path; File::Path::remove_tree($dir);
  exit 0;
}
`;

/** Variables Perl acts on at start-up: kept away from the holder, handed back to the shell. */
const PERL_STARTUP = ['PERL5OPT', 'PERL5LIB', 'PERLLIB', 'PERL5DB', 'PERLIO', 'PERL_UNICODE'];

export interface HolderCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

let perlPath: string | null | undefined;

/** Perl to run the holder with, or null where a holder cannot work (not Linux, no perl, turned off). */
function findPerl(): string | null {
  if (process.env.RUNBOOK_NO_HOLDER) return null; // the marker sweep alone (tests of that net)
  if (perlPath !== undefined) return perlPath;
  perlPath = null;
  if (process.platform !== 'linux') return perlPath;
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'perl'), constants.X_OK);
      return (perlPath = join(dir, 'perl'));
    } catch {
      /* next */
    }
  }
  return perlPath;
}

/** Why a session runs without a holder, or '' when it has one. */
export function holderUnavailable(): string {
  if (findPerl()) return '';
  if (process.platform !== 'linux') return `${process.platform} has no child subreaper`;
  if (process.env.RUNBOOK_NO_HOLDER) return 'RUNBOOK_NO_HOLDER is set';
  return 'perl was not found';
}

/** How to start `shell` under a holder; null when there is none (the shell then runs bare). */
export function holderCommand(shell: string, shellArgs: string[], env: NodeJS.ProcessEnv, scratchDir: string): HolderCommand | null {
  const perl = findPerl();
  if (!perl) return null;
  const holderEnv = { ...env };
  const keep: string[] = [];
  for (const name of PERL_STARTUP) {
    if (holderEnv[name] === undefined) continue;
    keep.push(`${name}=${holderEnv[name]}`);
    delete holderEnv[name];
  }
  return {
    command: perl,
    args: ['-e', HOLDER_SCRIPT, scratchDir, String(process.pid), String(keep.length), ...keep, shell, ...shellArgs],
    env: holderEnv,
  };
}
