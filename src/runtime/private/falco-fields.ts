/**
 * The Falco fields (syscall event source, Falco 0.44 with its bundled libs) a condition or an
 * output of the platform's rules may name. Pinned here, not read from a Falco binary: synth needs
 * none. Taken from Falco's field reference (`falco --list=syscall`); the test checks that every
 * field the pinned upstream ruleset names is in the list. A field with an argument
 * (`proc.aname[2]`, `k8s.pod.label[app]`) is listed without it. `evt.arg.<name>` is a family:
 * any argument name is accepted after `evt.arg.`.
 */
export const FALCO_FIELDS: ReadonlySet<string> = new Set([
  // evt
  'evt.num', 'evt.time', 'evt.time.s', 'evt.time.iso8601', 'evt.datetime', 'evt.rawtime', 'evt.reltime', 'evt.latency',
  'evt.dir', 'evt.type', 'evt.type.is', 'evt.cpu', 'evt.args', 'evt.arg', 'evt.rawarg', 'evt.info', 'evt.buffer',
  'evt.buflen', 'evt.res', 'evt.rawres', 'evt.failed', 'evt.is_io', 'evt.is_io_read', 'evt.is_io_write',
  'evt.is_wait', 'evt.is_syslog', 'evt.count', 'evt.around', 'evt.is_open_read', 'evt.is_open_write',
  'evt.is_open_exec', 'evt.is_open_create', 'evt.hostname', 'evt.source', 'evt.pluginname', 'evt.plugininfo',
  // proc
  'proc.exe', 'proc.pexe', 'proc.aexe', 'proc.exepath', 'proc.pexepath', 'proc.aexepath', 'proc.name', 'proc.pname',
  'proc.aname', 'proc.args', 'proc.cmdline', 'proc.pcmdline', 'proc.acmdline', 'proc.cmdnargs', 'proc.cmdlenargs',
  'proc.exeline', 'proc.env', 'proc.aenv', 'proc.cwd', 'proc.loginshellid', 'proc.tty', 'proc.pid', 'proc.ppid',
  'proc.apid', 'proc.vpid', 'proc.pvpid', 'proc.sid', 'proc.sname', 'proc.sid.exe', 'proc.sid.exepath', 'proc.vpgid',
  'proc.vpgid.name', 'proc.vpgid.exe', 'proc.vpgid.exepath', 'proc.duration', 'proc.ppid.duration', 'proc.pid.ts',
  'proc.ppid.ts', 'proc.is_exe_writable', 'proc.is_exe_upper_layer', 'proc.is_exe_from_memfd', 'proc.is_sid_leader',
  'proc.is_vpgid_leader', 'proc.exe_ino', 'proc.exe_ino.ctime', 'proc.exe_ino.mtime',
  'proc.exe_ino.ctime_duration_proc_start', 'proc.exe_ino.ctime_duration_pidns_start', 'proc.pidns_init_start_ts',
  'proc.thread.cap_permitted', 'proc.thread.cap_inheritable', 'proc.thread.cap_effective', 'proc.fdopencount',
  'proc.stdin.type', 'proc.stdout.type', 'proc.stderr.type', 'proc.stdin.name', 'proc.stdout.name', 'proc.stderr.name',
  // thread
  'thread.tid', 'thread.ismain', 'thread.vtid', 'thread.cap_permitted', 'thread.cap_inheritable', 'thread.cap_effective',
  // user and group
  'user.uid', 'user.name', 'user.homedir', 'user.shell', 'user.loginuid', 'user.loginname', 'group.gid', 'group.name',
  // fd
  'fd.num', 'fd.type', 'fd.typechar', 'fd.name', 'fd.directory', 'fd.filename', 'fd.ip', 'fd.cip', 'fd.sip', 'fd.lip',
  'fd.rip', 'fd.port', 'fd.cport', 'fd.sport', 'fd.lport', 'fd.rport', 'fd.l4proto', 'fd.sockfamily', 'fd.is_server',
  'fd.uid', 'fd.containername', 'fd.containerdirectory', 'fd.proto', 'fd.cproto', 'fd.sproto', 'fd.lproto', 'fd.rproto',
  'fd.net', 'fd.cnet', 'fd.snet', 'fd.lnet', 'fd.rnet', 'fd.connected', 'fd.name_changed', 'fd.cip.name', 'fd.sip.name',
  'fd.lip.name', 'fd.rip.name', 'fd.dev', 'fd.dev.major', 'fd.dev.minor', 'fd.ino', 'fd.nameraw', 'fd.types',
  'fdlist.nums', 'fdlist.names', 'fdlist.cips', 'fdlist.sips', 'fdlist.cports', 'fdlist.sports',
  // fs
  'fs.path.name', 'fs.path.nameraw', 'fs.path.source', 'fs.path.sourceraw', 'fs.path.target', 'fs.path.targetraw',
  // container
  'container.id', 'container.full_id', 'container.name', 'container.image', 'container.image.id', 'container.type',
  'container.privileged', 'container.mounts', 'container.mount', 'container.mount.source', 'container.mount.dest',
  'container.mount.mode', 'container.mount.rdwr', 'container.mount.propagation', 'container.image.repository',
  'container.image.tag', 'container.image.digest', 'container.healthcheck', 'container.liveness_probe',
  'container.readiness_probe', 'container.start_ts', 'container.duration', 'container.ip', 'container.cni.json',
  'container.host_pid', 'container.host_network', 'container.host_ipc',
  // k8s (from the container runtime's pod sandbox labels)
  'k8s.pod.name', 'k8s.pod.id', 'k8s.pod.uid', 'k8s.pod.sandbox_id', 'k8s.pod.full_sandbox_id', 'k8s.pod.label',
  'k8s.pod.labels', 'k8s.pod.ip', 'k8s.pod.cni.json', 'k8s.ns.name',
]);

/** Whether `field` (without its argument) is a Falco field. */
export function isFalcoField(field: string): boolean {
  return FALCO_FIELDS.has(field) || /^evt\.arg\.[a-zA-Z0-9_]+$/.test(field) || /^evt\.rawarg\.[a-zA-Z0-9_]+$/.test(field);
}
