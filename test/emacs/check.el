;;; Drives upgrade-lint-server from Emacs' Eglot in batch mode, after init.el (the setup the README shows): opens
;;; the files named in UL_FILES (`:`-separated, all in this one Emacs), waits for Flymake's diagnostics in each, asks
;;; for a hover at UL_HOVER (`line:column`, 0-based, in the first file), applies the first file's preferred quick
;;; fix, saves, waits for its diagnostics again, and writes what the editor saw as JSON to UL_RESULT.
(require 'eglot)
(require 'json)
(setq make-backup-files nil eglot-sync-connect 20 eglot-connect-timeout 30)

(defun ul-wait (pred secs)
  "Let process output and timers run until PRED holds or SECS pass; PRED's value."
  (let ((end (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun ul-after-command ()
  "Batch mode has no command loop: run what it runs after each command (eglot-ensure connects there)."
  (run-hooks 'post-command-hook))

(defvar ul-published nil "The URIs the server has published diagnostics for.")
(advice-add 'eglot-handle-notification :after
            (lambda (_server method &rest args)
              (when (eq method 'textDocument/publishDiagnostics) (push (plist-get args :uri) ul-published))))

(defun ul-diagnostics ()
  (mapcar (lambda (d)
            (let* ((beg (flymake-diagnostic-beg d))
                   (lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
              `((code . ,(plist-get lsp :code))
                (line . ,(line-number-at-pos beg))
                (column . ,(save-excursion (goto-char beg) (current-column)))
                (type . ,(symbol-name (flymake-diagnostic-type d)))
                (text . ,(flymake-diagnostic-text d)))))
          (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))

(defun ul-open (file)
  (find-file file)
  (ul-after-command)
  (ul-wait (lambda () eglot--managed-mode) 20)
  (let ((uri (eglot--path-to-uri buffer-file-name)))
    (ul-wait (lambda () (member uri ul-published)) 15))
  `((file . ,(file-name-nondirectory file))
    (mode . ,(symbol-name major-mode))
    (managed . ,(if eglot--managed-mode t :json-false))
    (languageId . ,(and eglot--managed-mode (eglot--language-id (eglot-current-server))))
    (diagnostics . ,(vconcat (ul-diagnostics)))))

(defun ul-hover (line col)
  (switch-to-buffer (current-buffer)) ; Eglot shows a hover only for a buffer in a window
  (goto-char (point-min))
  (forward-line line)
  (forward-char col)
  (let (info)
    (eglot-hover-eldoc-function (lambda (doc &rest _) (setq info (or doc ""))))
    (ul-wait (lambda () info) 10)
    info))

(defun ul-quick-fix ()
  "Applies the preferred quick fix of the first diagnostic, as `eglot-code-actions' does once it is picked; saves."
  (let* ((d (car (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
         (actions (and d (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) "quickfix")))
         (preferred (seq-find (lambda (a) (eq (plist-get a :isPreferred) t)) actions)))
    (when preferred
      (eglot--read-execute-code-action (list preferred) (eglot-current-server) "quickfix")
      (let ((published (length ul-published)))
        (save-buffer)
        (ul-wait (lambda () (> (length ul-published) published)) 10)))
    `((titles . ,(vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
      (applied . ,(plist-get preferred :title))
      (text . ,(buffer-substring-no-properties (point-min) (point-max)))
      (diagnostics . ,(vconcat (ul-diagnostics))))))

(defun ul-run ()
  (let* ((files (split-string (getenv "UL_FILES") ":"))
         (hover (mapcar #'string-to-number (split-string (getenv "UL_HOVER") ":")))
         (opened (mapcar #'ul-open files)))
    (with-current-buffer (find-buffer-visiting (car files))
      `((emacs . ,emacs-version)
        (eglot . ,(with-temp-buffer
                    (insert-file-contents (locate-library "eglot.el"))
                    (and (re-search-forward "^;; Version: \\(.*\\)$" nil t) (match-string 1))))
        (files . ,(vconcat opened))
        (servers . ,(length (seq-uniq (delq nil (mapcar (lambda (f) (with-current-buffer (find-buffer-visiting f) (eglot-current-server))) files)))))
        (hover . ,(ul-hover (nth 0 hover) (nth 1 hover)))
        (fix . ,(ul-quick-fix))))))

(let ((status 0) result)
  (condition-case err
      (setq result (ul-run))
    (error (setq status 1 result `((error . ,(error-message-string err))))))
  (with-temp-file (getenv "UL_RESULT") (insert (json-encode result)))
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs status))
