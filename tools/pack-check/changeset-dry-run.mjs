// A release dry run: `changeset version` on a throw-away copy of the workspace manifests and pending changesets,
// so the real tree is untouched. Fails if changesets cannot compute the release (bad frontmatter, unknown package)
// or if a package named in a changeset does not get a new version and a CHANGELOG entry.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const copy = mkdtempSync(join(tmpdir(), 'eb-changeset-'));
try {
  const manifests = ['package.json', 'pnpm-workspace.yaml'];
  for (const group of ['packages', 'apps', 'tools']) {
    if (!existsSync(join(root, group))) continue;
    for (const dir of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, dir, 'package.json'))) manifests.push(join(group, dir, 'package.json'));
    }
  }
  for (const file of manifests) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true });
  const pending = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const bumped = new Set();
  for (const f of pending) {
    const front = readFileSync(join(copy, '.changeset', f), 'utf8').split('---')[1] ?? '';
    for (const m of front.matchAll(/"([^"]+)":\s*(major|minor|patch)/g)) bumped.add(m[1]);
  }
  const before = new Map(
    manifests.filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(join(copy, f), 'utf8'))]),
  );
  execFileSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: copy,
    stdio: 'inherit',
  });
  let problems = 0;
  for (const [file, old] of before) {
    if (!bumped.has(old.name)) continue;
    const now = JSON.parse(readFileSync(join(copy, file), 'utf8'));
    const changelog = join(copy, dirname(file), 'CHANGELOG.md');
    if (now.version === old.version || !existsSync(changelog)) {
      problems++;
      console.log(`FAIL ${old.name}: expected a new version and a CHANGELOG.md, got ${now.version}`);
    } else {
      console.log(`ok   ${old.name}: ${old.version} -> ${now.version}`);
    }
  }
  console.log(
    `changeset dry run: ${pending.length} pending changesets, ${bumped.size} packages to release, ${problems} problems`,
  );
  if (problems > 0) process.exit(1);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
