package main

import "github.com/spf13/cobra"

func (a *app) runTUI(cmd *cobra.Command) error { return nil }
func (a *app) doctorCmd() *cobra.Command       { return &cobra.Command{Use: "doctor"} }
