import { childrenOf, type CompletionModel, parentPaths } from './model.js'

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const
export type Shell = (typeof SHELLS)[number]

/** The help topics `kick help` offers beside the commands (see src/help/topics.ts). */
export interface ScriptOptions {
  helpTopics: readonly string[]
}

/**
 * The completion script for a shell. All four walk the typed words the same way: words that extend a known
 * path (`users`, then `get`) make the command; a flag that takes a value also takes the next word; after
 * `help` the words name a topic or command again. Then they offer the command's flags (after `-`), the
 * values of the flag being given (comma lists completed after the last comma), or the next words of the path
 * and the values of the command's arguments. The model is baked in as data, so completing costs one shell
 * function call and no process.
 */
export function completionScript(shell: Shell, model: CompletionModel, options: ScriptOptions): string {
  const data = tables(model)
  switch (shell) {
    case 'bash':
      return posixScript(model.bin, data, options, 'bash')
    case 'zsh':
      return posixScript(model.bin, data, options, 'zsh')
    case 'fish':
      return fishScript(model.bin, data, options)
    case 'powershell':
      return powershellScript(model.bin, data, options)
  }
}

interface Tables {
  children: [string, string[]][]
  commands: string[]
  flags: [string, string[]][]
  values: [string, string[]][]
  lists: string[]
  args: [string, string[]][]
}

/** The model as lookup tables, keyed the same way for every shell. */
function tables(model: CompletionModel): Tables {
  const values: [string, string[]][] = []
  const lists: string[] = []
  for (const command of model.commands) {
    for (const flag of command.flags) {
      if (!flag.values.length) continue
      for (const name of [flag.long, flag.short].filter((name) => name !== undefined)) {
        values.push([`${command.path} ${name}`, flag.values])
        if (flag.list) lists.push(`${command.path} ${name}`)
      }
    }
  }
  return {
    children: parentPaths(model).map((path) => [path, childrenOf(model, path).map((child) => child.word)]),
    commands: model.commands.map((command) => command.path),
    flags: model.commands.map((command) => [
      command.path,
      command.flags.flatMap((flag) =>
        [flag.long, flag.short]
          .filter((name) => name !== undefined)
          .map((name) => (flag.takesValue ? `${name}=` : name)),
      ),
    ]),
    values,
    lists,
    args: model.commands
      .filter((command) => command.argValues.length)
      .map((command) => [command.path, command.argValues]),
  }
}

const identifier = (bin: string): string => bin.replace(/[^A-Za-z0-9_]/g, '_')

function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

function posixCase(name: string, rows: [string, string[]][]): string {
  return [
    `${name}() {`,
    '  case "$1" in',
    ...rows.map(([key, words]) => `    ${sq(key)}) REPLY=${sq(words.join(' '))} ;;`),
    `    *) REPLY='' ;;`,
    '  esac',
    '}',
  ].join('\n')
}

function posixSet(name: string, keys: readonly string[]): string {
  if (!keys.length) return `${name}() { return 1; }`
  return [
    `${name}() {`,
    `  case "$1" in`,
    `    ${keys.map(sq).join('|')}) return 0 ;;`,
    '  esac',
    '  return 1',
    '}',
  ].join('\n')
}

/** bash and zsh share the tables and the walk (plain POSIX-style functions both run); only the glue differs. */
function posixScript(bin: string, data: Tables, options: ScriptOptions, shell: 'bash' | 'zsh'): string {
  const id = `_${identifier(bin)}`
  const walk = `# The words after \`${bin}\`, the last one being completed: sets REPLY to the candidates for it.
${id}_candidates() {
  [ -n "$ZSH_VERSION" ] && setopt localoptions shwordsplit
  local path='' help='' value_of='' word flag typed prefix='' candidate candidates out=''
  while [ $# -gt 1 ]; do
    word=$1
    shift
    if [ -n "$value_of" ]; then value_of=''; continue; fi
    case "$word" in
      -*)
        ${id}_flags "$path"
        case "$word" in *=*) ;; *) case " $REPLY " in *" $word= "*) value_of=$word ;; esac ;; esac
        continue ;;
    esac
    if [ -z "$path" ] && [ -z "$help" ] && [ "$word" = help ]; then help=1; continue; fi
    ${id}_children "$path"
    case " $REPLY " in *" $word "*) path="\${path:+$path }$word" ;; esac
  done
  typed=$1
  if [ -n "$value_of" ]; then
    flag=$value_of
  else
    case "$typed" in
      -*=*) flag=\${typed%%=*}; prefix="$flag="; typed=\${typed#*=} ;;
    esac
  fi
  if [ -n "$flag" ]; then
    ${id}_values "$path $flag"
    candidates=$REPLY
    if ${id}_lists "$path $flag"; then
      local before=\${typed%"\${typed##*,}"}
      candidates=''
      for candidate in $REPLY; do candidates="$candidates $before$candidate"; done
    fi
  else
    case "$typed" in
      -*) ${id}_flags "$path"; candidates=$REPLY ;;
      *)
        ${id}_children "$path"
        candidates=$REPLY
        if [ -n "$help" ]; then
          [ -z "$path" ] && candidates="$candidates ${options.helpTopics.join(' ')}"
        elif ${id}_commands "$path"; then
          ${id}_args "$path"
          candidates="$candidates $REPLY"
        fi ;;
    esac
  fi
  for candidate in $candidates; do
    candidate=\${candidate%=}
    case "$candidate" in "$typed"*) out="$out $prefix$candidate" ;; esac
  done
  REPLY=\${out# }
}`
  const glue =
    shell === 'bash'
      ? `${id}() {
  local line=\${COMP_LINE:0:COMP_POINT} IFS=$' \\t\\n'
  local -a words
  read -ra words <<< "$line"
  case "$line" in *[[:space:]]) words+=('') ;; esac
  local cur=\${words[\${#words[@]}-1]}
  ${id}_candidates "\${words[@]:1}"
  COMPREPLY=($REPLY)
  # bash splits the word at ':' and '=' (COMP_WORDBREAKS): each candidate replaces only the part after the
  # last of them, so that part alone is offered (\`--scopes user:read,ch\` gets \`chat:write\`... as \`write\`).
  local part=\${COMP_WORDS[COMP_CWORD]}
  case "$part" in :|=) part='' ;; esac
  local before=\${cur%"$part"} i
  if [ -n "$before" ]; then
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=\${COMPREPLY[i]#"$before"}; done
  fi
}
complete -o default -F ${id} ${bin}`
      : `${id}() {
  ${id}_candidates "\${(@)words[2,CURRENT]}"
  local -a candidates
  candidates=(\${=REPLY})
  compadd -Q -- $candidates
}
if [ "$funcstack[1]" = ${id} ]; then
  ${id} "$@"
else
  compdef ${id} ${bin}
fi`
  return [
    shell === 'zsh' ? `#compdef ${bin}` : `# bash completion for ${bin}`,
    `# Generated by \`${bin} autocomplete script ${shell}\` from the commands of this version; print it again after an upgrade.`,
    '',
    posixCase(`${id}_children`, data.children),
    posixSet(`${id}_commands`, data.commands),
    posixCase(`${id}_flags`, data.flags),
    posixCase(`${id}_values`, data.values),
    posixSet(`${id}_lists`, data.lists),
    posixCase(`${id}_args`, data.args),
    walk,
    glue,
    '',
  ].join('\n')
}

function fq(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

function fishSwitch(name: string, rows: [string, string[]][]): string {
  return [
    `function ${name}`,
    '    switch $argv[1]',
    ...rows.flatMap(([key, words]) => [`        case ${fq(key)}`, `            echo ${fq(words.join(' '))}`]),
    '    end',
    'end',
  ].join('\n')
}

function fishScript(bin: string, data: Tables, options: ScriptOptions): string {
  const id = `__${identifier(bin)}`
  const set = (name: string, keys: readonly string[]) =>
    `function ${name}\n    contains -- $argv[1] ${keys.map(fq).join(' ')}\nend`
  return [
    `# fish completion for ${bin}`,
    `# Generated by \`${bin} autocomplete script fish\` from the commands of this version; print it again after an upgrade.`,
    '',
    fishSwitch(`${id}_children`, data.children),
    set(`${id}_commands`, data.commands),
    fishSwitch(`${id}_flags`, data.flags),
    fishSwitch(`${id}_values`, data.values),
    set(`${id}_lists`, data.lists),
    fishSwitch(`${id}_args`, data.args),
    `function ${id}_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l typed (commandline -ct)
    set -l path ''
    set -l help ''
    set -l value_of ''
    for word in $words
        if test -n "$value_of"
            set value_of ''
            continue
        end
        if string match -q -- '-*' $word
            if not string match -q -- '*=*' $word; and contains -- "$word=" (string split ' ' -- (${id}_flags $path))
                set value_of $word
            end
            continue
        end
        if test -z "$path"; and test -z "$help"; and test "$word" = help
            set help 1
            continue
        end
        if contains -- $word (string split ' ' -- (${id}_children $path))
            set path (string trim -- "$path $word")
        end
    end
    set -l flag $value_of
    set -l prefix ''
    if test -z "$flag"; and string match -q -- '-*=*' $typed
        set flag (string split -m 1 '=' -- $typed)[1]
        set prefix "$flag="
        set typed (string split -m 1 '=' -- $typed)[2]
    end
    set -l candidates
    if test -n "$flag"
        set candidates (string split ' ' -- (${id}_values "$path $flag"))
        if ${id}_lists "$path $flag"
            set -l before (string match -r -- '^.*,' $typed)
            set candidates (string replace -r -- '^' "$before" $candidates)
        end
    else if string match -q -- '-*' $typed
        set candidates (string replace -r -- '=$' '' (string split ' ' -- (${id}_flags $path)))
    else
        set candidates (string split ' ' -- (${id}_children $path))
        if test -n "$help"
            test -z "$path"; and set candidates $candidates ${options.helpTopics.map(fq).join(' ')}
        else if ${id}_commands $path
            set candidates $candidates (string split ' ' -- (${id}_args $path))
        end
    end
    for candidate in $candidates
        test -n "$candidate"; and string match -q -- "$typed*" $candidate; and echo "$prefix$candidate"
    end
end`,
    `complete -c ${bin} -f -a '(${id}_complete)'`,
    '',
  ].join('\n')
}

function pq(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

function psTable(name: string, rows: [string, string[]][]): string {
  return [
    `$${name} = @{`,
    ...rows.map(([key, words]) => `    ${pq(key)} = ${pq(words.join(' '))}`),
    '}',
  ].join('\n')
}

function powershellScript(bin: string, data: Tables, options: ScriptOptions): string {
  const id = identifier(bin)
  return [
    `# PowerShell completion for ${bin}`,
    `# Generated by \`${bin} autocomplete script powershell\` from the commands of this version; print it again after an upgrade.`,
    '',
    psTable(`${id}Children`, data.children),
    `$${id}Commands = @(${data.commands.map(pq).join(', ')})`,
    psTable(`${id}Flags`, data.flags),
    psTable(`${id}Values`, data.values),
    `$${id}Lists = @(${data.lists.map(pq).join(', ')})`,
    psTable(`${id}Args`, data.args),
    `Register-ArgumentCompleter -Native -CommandName ${pq(bin)} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $split = { param($text) if ($text) { @($text -split ' ' | Where-Object { $_ }) } else { @() } }
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.Extent.Text })
    if ($words.Count -gt 0 -and $wordToComplete -ne '' -and $words[-1] -eq $wordToComplete) {
        $words = @($words | Select-Object -SkipLast 1)
    }
    $words = @($words | Select-Object -Skip 1)
    $path = ''; $help = $false; $valueOf = ''
    foreach ($word in $words) {
        if ($valueOf) { $valueOf = ''; continue }
        if ($word.StartsWith('-')) {
            if (-not $word.Contains('=') -and (& $split $${id}Flags[$path]) -contains "$word=") { $valueOf = $word }
            continue
        }
        if (-not $path -and -not $help -and $word -eq 'help') { $help = $true; continue }
        if ((& $split $${id}Children[$path]) -contains $word) { $path = "$path $word".Trim() }
    }
    $typed = $wordToComplete; $flag = $valueOf; $prefix = ''
    if (-not $flag -and $typed -match '^(-[^=]+)=(.*)$') { $flag = $Matches[1]; $prefix = "$flag="; $typed = $Matches[2] }
    if ($flag) {
        $candidates = & $split $${id}Values["$path $flag"]
        if ($${id}Lists -contains "$path $flag") {
            $before = if ($typed -match '^(.*,)') { $Matches[1] } else { '' }
            $candidates = @($candidates | ForEach-Object { "$before$_" })
        }
    } elseif ($typed.StartsWith('-')) {
        $candidates = @(& $split $${id}Flags[$path] | ForEach-Object { $_.TrimEnd('=') })
    } else {
        $candidates = & $split $${id}Children[$path]
        if ($help) { if (-not $path) { $candidates += @(${options.helpTopics.map(pq).join(', ')}) } }
        elseif ($${id}Commands -contains $path) { $candidates += & $split $${id}Args[$path] }
    }
    $candidates | Where-Object { $_ -and $_.StartsWith($typed) } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new("$prefix$_", "$prefix$_", 'ParameterValue', "$prefix$_")
    }
}`,
    '',
  ].join('\n')
}
