# Runs the AWS CLI for the tests without paying Python's start-up and the CLI's imports for every command.
#
# The parent imports the CLI once, then forks a child per command. The child is the CLI exactly as the
# `aws` script runs it (awscli.clidriver.main with the command's argv and environment), with its own
# stdout, stderr and an empty stdin; only the interpreter start and the imports are shared.
#
# Protocol, one JSON object per line: requests on stdin
#   {"id": 1, "argv": [...], "env": {"NAME": "value" or null}, "timeout": 60}
# and answers on stdout, in any order
#   {"id": 1, "exitCode": 0, "stdout": "...", "stderr": "...", "timedOut": false}
# The first line written is {"ready": true, "version": "<aws-cli version>"}, or {"ready": false, "error": ...}
# when the CLI cannot be imported by this interpreter (the caller then runs `aws` as a process).
import json
import shutil
import os
import signal
import sys
import tempfile
import threading

try:
    if os.environ.get('LC_CTYPE', '') == 'UTF-8':
        os.environ['LC_CTYPE'] = 'en_US.UTF-8'
    import awscli
    import awscli.clidriver
    import awscli.handlers  # the plugins every command loads: most of a command's import time
    import botocore.httpsession  # the HTTP stack, imported lazily by the first request
except Exception as error:  # noqa: BLE001 - any failure means "not usable here"
    sys.stdout.write(json.dumps({'ready': False, 'error': repr(error)}) + '\n')
    sys.stdout.flush()
    sys.exit(0)

answers = sys.stdout
answer_lock = threading.Lock()
scratch = tempfile.mkdtemp(prefix='aws-cli-zygote-')


def answer(message):
    with answer_lock:
        answers.write(json.dumps(message) + '\n')
        answers.flush()


def run_child(request, out_path, err_path):
    # Everything here runs in the forked child and ends in os._exit.
    code = 255
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdin = open(0, 'r', closefd=False)
        sys.stdout = open(1, 'w', closefd=False)
        sys.stderr = open(2, 'w', closefd=False)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(request.get('timeout') or 60))
        for name, value in (request.get('env') or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        sys.argv = ['aws'] + list(request['argv'])
        try:
            code = awscli.clidriver.main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException as error:  # noqa: BLE001 - reported as the command's own failure
        try:
            os.write(2, ('aws-cli-zygote: ' + repr(error) + '\n').encode())
        except OSError:
            pass
    os._exit(code if isinstance(code, int) and 0 <= code < 256 else 255)


def wait_and_answer(request_id, pid, out_path, err_path):
    _, status = os.waitpid(pid, 0)
    timed_out = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    texts = []
    for path in (out_path, err_path):
        try:
            with open(path, 'r', encoding='utf-8', errors='replace') as stream:
                texts.append(stream.read())
            os.unlink(path)
        except FileNotFoundError:
            texts.append('')
    answer({'id': request_id, 'exitCode': exit_code, 'stdout': texts[0], 'stderr': texts[1], 'timedOut': timed_out})


def main():
    answer({'ready': True, 'version': awscli.__version__})
    waiters = []
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        out_path = os.path.join(scratch, f"{request['id']}.out")
        err_path = os.path.join(scratch, f"{request['id']}.err")
        with answer_lock:  # a child must not inherit the answer stream's lock while another thread holds it
            pid = os.fork()
        if pid == 0:
            run_child(request, out_path, err_path)
        waiter = threading.Thread(target=wait_and_answer, args=(request['id'], pid, out_path, err_path), daemon=True)
        waiter.start()
        waiters = [w for w in waiters if w.is_alive()] + [waiter]
    for waiter in waiters:  # the caller closed our stdin: answer what is still running, then end
        waiter.join()


try:
    main()
finally:
    shutil.rmtree(scratch, ignore_errors=True)
