;;; upgrade-lint with Eglot: built into Emacs 29 and later; for Emacs 28, Debian's elpa-eglot or GNU ELPA's eglot.
(define-derived-mode acns-meta-mode prog-mode "ACNS-Meta"
  "Major mode for ACNS meta files (*.meta)."
  (setq-local comment-start "# "))
(define-derived-mode cupm-properties-mode conf-javaprop-mode "CUPM-Properties"
  "Major mode for CUPM dfc.properties.")
(define-derived-mode upgrade-manifest-mode prog-mode "Upgrade-Manifest"
  "Major mode for upgrade manifests (*.upgrade.yaml)."
  (setq-local comment-start "# "))
(add-to-list 'auto-mode-alist '("\\.meta\\'" . acns-meta-mode))
(add-to-list 'auto-mode-alist '("/dfc\\.properties\\'" . cupm-properties-mode))
(add-to-list 'auto-mode-alist '("\\(?:\\.upgrade\\|/upgrade-manifest\\)\\.ya?ml\\'" . upgrade-manifest-mode))
;; One entry per mode: Eglot sends each server's buffers with one language id, the mode's name without "-mode".
(with-eval-after-load 'eglot
  (dolist (mode '(acns-meta-mode cupm-properties-mode upgrade-manifest-mode))
    (add-to-list 'eglot-server-programs `(,mode . ("upgrade-lint-server" "--stdio")))))
(dolist (hook '(acns-meta-mode-hook cupm-properties-mode-hook upgrade-manifest-mode-hook))
  (add-hook hook #'eglot-ensure))
